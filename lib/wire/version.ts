/**
 * oslo's API version compatibility rule.
 * @module
 */

/** What Python's `int()` reads in a version part (surrounding blanks, a sign, `_` between digits). */
const INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

/** One part of a version as Python's `int()` reads it; undefined where Python raises. */
function part(p: string | undefined): number | undefined {
  if (p === undefined) return undefined;
  if (isDigits(p)) return Number(p);
  return INT.test(p) ? Number(p.replace(/_/g, '')) : undefined;
}

/** True for a non-empty run of ASCII digits (the usual part, read without a regex). */
function isDigits(p: string): boolean {
  if (p.length === 0) return false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A version read once, part by part, the way oslo's `version_is_compatible` reads it: each
 * of major, minor and revision (a missing revision is 0) as Python's `int()` reads it, or
 * undefined where Python would raise. Further parts are ignored.
 */
export interface VersionParts {
  /** The major version, or undefined when unreadable. */
  readonly major: number | undefined;
  /** The minor version, or undefined when missing or unreadable. */
  readonly minor: number | undefined;
  /** The revision (0 when absent), or undefined when unreadable. */
  readonly rev: number | undefined;
}

/** `version` split and read into its {@link VersionParts}; never throws. */
export function versionParts(version: string): VersionParts {
  const p = version.split('.');
  return { major: part(p[0]), minor: part(p[1]), rev: part(p[2] ?? '0') };
}

/**
 * {@link versionIsCompatible} on versions read already: can `implemented` serve `requested`?
 * (Both present; for absent versions see {@link versionIsCompatible}.)
 */
export function partsAreCompatible(implemented: VersionParts, requested: VersionParts): boolean {
  const { major: reqMajor, minor: reqMinor, rev: reqRev } = requested;
  const { major: impMajor, minor: impMinor, rev: impRev } = implemented;
  if (reqMajor === undefined || impMajor === undefined || reqMajor !== impMajor) return false;
  if (reqMinor === undefined || impMinor === undefined || reqMinor > impMinor) return false;
  if (reqMinor < impMinor) return true;
  return reqRev !== undefined && impRev !== undefined && reqRev <= impRev;
}

/**
 * True when `version` has the `major.minor[.rev]` form oslo accepts (further parts are
 * ignored); Python's RPC client refuses other versions ("Version must contain a major and
 * minor integer").
 */
export function isValidVersion(version: string): boolean {
  const [major, minor, rev = '0'] = version.split('.');
  return [major, minor, rev].every((p) => part(p) !== undefined);
}

/**
 * oslo's `version_is_compatible(imp_version, version)`: can an implementation of version
 * `implemented` serve a request for version `requested`?
 *
 * - no implemented version (undefined or null): compatible with everything;
 * - no requested version: incompatible;
 * - otherwise the majors must be equal, the requested minor at most the implemented one, and
 *   with equal minors the requested revision at most the implemented one (a missing revision
 *   counts as 0).
 *
 * Where Python raises on an unreadable part it reaches (`"1"`, `"1.x"` against `"1.0"`), this
 * returns false; a part Python never reaches does not matter (`"2.x"` against `"1.0"`: false
 * because the majors differ).
 *
 * ```ts
 * versionIsCompatible('1.2', '1.1')   // true
 * versionIsCompatible('1.2', '1.2.1') // false
 * versionIsCompatible('2.0', '1.0')   // false
 * ```
 * @param implemented the version an endpoint implements (or a client's version cap)
 * @param requested the version a message asks for
 */
export function versionIsCompatible(implemented: string | null | undefined, requested: string | null | undefined): boolean {
  if (implemented === undefined || implemented === null) return true;
  if (requested === undefined || requested === null) return false;
  return partsAreCompatible(versionParts(implemented), versionParts(requested));
}
