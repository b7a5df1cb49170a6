/**
 * An ECR pull-through cache for the Docker Hub image: tasks pull from the account's private registry, which fetches
 * from Docker Hub with the team's credentials once and keeps the image, so task starts do not depend on Docker Hub's
 * anonymous pull limit (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImagePullThroughCache as CacheConfig } from "./config";
import { parseImageReference } from "../model/image-reference";

/** Docker Hub's registry URL for a pull-through cache rule (ECR API, CreatePullThroughCacheRule upstreamRegistryUrl). */
export const DOCKER_HUB_UPSTREAM = "registry-1.docker.io";

/**
 * The Docker Hub `image` as the cache serves it: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<repository>`, with
 * library/ kept for an official image as ECR requires, then the digest (or tag) of `image`.
 */
export function cachedImage(image: string, cache: { registryId: string; region: string; repositoryPrefix: string }): string {
    const { repository, tag, digest } = parseImageReference(image);
    const reference = digest ? `@${digest}` : `:${tag}`;
    return `${cache.registryId}.dkr.ecr.${cache.region}.amazonaws.com/${cache.repositoryPrefix}/${repository}${reference}`;
}

export interface ImagePullThroughCacheArgs {
    /** The validated `aws.imagePullThroughCache` block. @default none, required */
    cache: CacheConfig;
    /** The Docker Hub image, by digest or tag. @default none, required */
    image: pulumi.Input<string>;
}

export class ImagePullThroughCache extends pulumi.ComponentResource {
    /** The image to run, from the cache. */
    public readonly image: pulumi.Output<string>;
    /** The cached repositories: what the task execution role may import into. */
    public readonly repositoryArns: pulumi.Output<string>;

    constructor(name: string, args: ImagePullThroughCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:ImagePullThroughCache", name, {}, opts);
        const rule = new aws.ecr.PullThroughCacheRule(
            name,
            { ecrRepositoryPrefix: args.cache.repositoryPrefix, upstreamRegistryUrl: DOCKER_HUB_UPSTREAM, credentialArn: args.cache.credentialArn },
            { parent: this },
        );
        this.image = pulumi
            .all([args.image, rule.registryId, rule.region])
            .apply(([image, registryId, region]) => cachedImage(image, { registryId, region, repositoryPrefix: args.cache.repositoryPrefix }));
        this.repositoryArns = pulumi.interpolate`arn:aws:ecr:${rule.region}:${rule.registryId}:repository/${args.cache.repositoryPrefix}/*`;
        this.registerOutputs({ image: this.image });
    }
}
