/**
 * The context whitelist of notifications.
 * @module
 */

/**
 * The context keys a notification may carry (oslo's `_sanitize_context`, in the order of
 * oslo.context's RequestContext). Everything else, `auth_token` first of all, is dropped.
 */
export const NOTIFICATION_CONTEXT_KEYS: ReadonlySet<string> = new Set([
  'user_id', 'project_id', 'domain_id', 'user_domain_id', 'project_domain_id', 'is_admin',
  'request_id', 'roles', 'user_name', 'project_name', 'domain_name', 'user_domain_name',
  'project_domain_name', 'service_user_id', 'service_user_domain_id', 'service_user_domain_name',
  'service_project_id', 'service_project_name', 'service_project_domain_id',
  'service_project_domain_name', 'service_roles', 'global_request_id', 'system_scope',
  'user', 'domain', 'user_domain', 'project_domain',
]);

/**
 * The part of `context` a notification may carry: the {@link NOTIFICATION_CONTEXT_KEYS}, in
 * the context's own order. A missing context gives `{}`.
 */
export function sanitizeNotificationContext(context: Readonly<Record<string, unknown>> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(context ?? {})) {
    if (NOTIFICATION_CONTEXT_KEYS.has(k)) out[k] = v;
  }
  return out;
}
