/** The baseline for `npm run bench:program`: the smallest useful Pulumi program, one S3 bucket. */
import * as aws from "@pulumi/aws";

const bucket = new aws.s3.Bucket("bucket");

export const bucketName = bucket.id;
