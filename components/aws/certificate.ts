/**
 * An ACM certificate for the API's domain, validated through a DNS record in
 * the user's Route 53 hosted zone, so HTTPS needs no manual certificate work
 * (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsValidatedCertificateArgs {
    /** The host name the certificate is issued for. @default none, required */
    domainName: string;
    /** Route 53 hosted zone holding domainName. @default none, required */
    hostedZoneId: string;
}

export class DnsValidatedCertificate extends pulumi.ComponentResource {
    /** The certificate's ARN, known only once ACM has validated it: the HTTPS listener waits for it. */
    public readonly certificateArn: pulumi.Output<string>;

    constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:DnsValidatedCertificate", name, {}, opts);
        const parent = { parent: this };

        const certificate = new aws.acm.Certificate(name, { domainName: args.domainName, validationMethod: "DNS" }, parent);
        // One domain, one validation record (ACM returns one option per name on the certificate).
        const option = certificate.domainValidationOptions.apply((options) => options[0]);
        const record = new aws.route53.Record(
            `${name}-validation`,
            {
                zoneId: args.hostedZoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                // ACM reuses the record across certificates for the same name; a re-created certificate must be able to take it over.
                allowOverwrite: true,
            },
            parent,
        );
        const validation = new aws.acm.CertificateValidation(name, { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }, parent);

        this.certificateArn = validation.certificateArn;
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
