/** The clouds this product deploys to, chosen by the `cloud` key. */
export const CLOUDS = ["aws", "gcp"] as const;
export type Cloud = (typeof CLOUDS)[number];
