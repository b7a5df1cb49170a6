/**
 * Keeping secrets out of error messages: every form a secret can take, and
 * a connection target described without them.
 */
import { parseAdminUrl } from "../model/admin-connection";

/** Every form in which the admin URL and the passwords could appear in a message. */
export function secretForms(adminUrl: string, passwords: string[]): string[] {
    const forms = [adminUrl, ...passwords];
    try {
        const url = new URL(adminUrl);
        forms.push(url.password, decodeURIComponent(url.password));
    } catch {
        // An unparsable URL appears only whole, which is already covered.
    }
    return forms.filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replaces each secret in `text` by [secret]. */
export function scrub(text: string, secrets: string[]): string {
    return secrets.reduce((result, secret) => result.split(secret).join("[secret]"), text);
}

/**
 * Host, port and database of a connection URL: the target's identity, with nothing secret. Undefined for a URL
 * written wrongly (parseAdminUrl): misread, its "host" or "path" may hold part of the password.
 */
export function describeTarget(adminUrl: string): string | undefined {
    const url = parseAdminUrl(adminUrl);
    return typeof url === "string" ? undefined : `${url.hostname}:${url.port || "5432"}${url.pathname || "/"}`;
}
