/** Host names, as both clouds' domain keys take them. */

// Dot-separated labels of letters, digits and inner hyphens, at most 253 characters (RFC 1123, section 2.1),
// and at least two labels: a name clients resolve in public DNS.
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/i;

/** Whether `name` is a host name such as api.example.com (no scheme, no path, no port). */
export function isHostName(name: string): boolean {
    return HOST_NAME.test(name);
}
