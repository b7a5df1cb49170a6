/** What both clouds' cost models share: a month of hours, cost lines, their sum and how a price prints. */

/** Hours in the month both clouds bill: 365 × 24 / 12. */
export const HOURS_PER_MONTH = 730;

export interface CostLine {
    item: string;
    /** USD per month. */
    monthly: number;
}

export function monthlyTotal(lines: readonly CostLine[]): number {
    return lines.reduce((sum, line) => sum + line.monthly, 0);
}

export const usd = (amount: number): string => `$${amount.toFixed(2)}`;
