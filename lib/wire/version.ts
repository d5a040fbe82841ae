/**
 * oslo's API version compatibility rule.
 * @module
 */

/** What Python's `int()` reads in a version part (surrounding blanks, a sign, `_` between digits). */
const INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

/** One part of a version as Python's `int()` reads it; undefined where Python raises. */
function part(p: string | undefined): number | undefined {
  return p !== undefined && INT.test(p) ? Number(p.replace(/_/g, '')) : undefined;
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
 * Parts are read in the same order and only as far as Python reads them. Where Python raises
 * on an unreadable part (`"1"`, `"1.x"`), this returns false.
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
  const imp = implemented.split('.');
  const req = requested.split('.');
  const [reqMajor, impMajor] = [part(req[0]), part(imp[0])];
  if (reqMajor === undefined || impMajor === undefined || reqMajor !== impMajor) return false;
  const [reqMinor, impMinor] = [part(req[1]), part(imp[1])];
  if (reqMinor === undefined || impMinor === undefined || reqMinor > impMinor) return false;
  if (reqMinor < impMinor) return true;
  const [reqRev, impRev] = [part(req[2] ?? '0'), part(imp[2] ?? '0')];
  return reqRev !== undefined && impRev !== undefined && reqRev <= impRev;
}
