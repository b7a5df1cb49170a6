/** Prints docs/costs.md's AWS monthly cost table (us-east-1), from components/aws/costs.ts. */
import { US_EAST_1_PRICES } from "../components/aws/costs";
import { HOURS_PER_MONTH } from "../components/costs";
import { awsCostTable } from "./cost-tables";

console.log(awsCostTable());
console.log(`\nPrices used (USD, us-east-1, ${HOURS_PER_MONTH} h/month): ${JSON.stringify(US_EAST_1_PRICES)}`);
