/**
 * The web app on AWS: its built files (web/dist) in a private, encrypted S3 bucket behind
 * CloudFront with origin access control, and the API on the same origin: CloudFront sends
 * `/api/*` to the HTTP API's stage named `api` (HTTP APIs take the stage name off before matching
 * routes, so `/api/proposals` reaches `GET /proposals`). Same origin means no CORS at all, and the
 * existing clients (CLI, HR, tests) keep calling the API's own URL at the root.
 *
 *   /assets/*   hashed file names: cached a year, immutable
 *   /api/*      not cached (TTL 0, Authorization in the key), every method, every header but Host
 *   other paths the app's pages: a CloudFront Function serves index.html for any path without a
 *               file extension (history mode), so the API's own 403/404 are never rewritten
 *   /config.json written by the deployment: the SSO's issuer and the app's client id, so one
 *               build serves every deployment
 *
 * Security headers on every answer: a CSP allowing only this origin (and the SSO's for sign-in),
 * HSTS, nosniff, DENY framing, a strict referrer policy.
 */
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** The HTTP API stage the app reaches the API through; the local gateway answers it too. */
export const WEB_API_STAGE = 'api';

export interface WebAppProps {
  api: HttpApi;
  /** The built app (web/dist). */
  distDir: string;
  /** What `/config.json` says: authority (the SSO's issuer), clientId, scope, apiBase. */
  config: { authority: string; clientId: string; scope: string; apiBase: string };
  /** The SSO's origin (`https://sso.example.edu.cn`): the only other origin the CSP allows. */
  ssoOrigin: string;
}

/** Any path without a file extension is a page of the app. */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  if (!/\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

export class WebApp extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with an ACL.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the web app’s bucket and distribution; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Assets', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'assets/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { ssoOrigin } = props;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: [
            "default-src 'self'",
            `connect-src 'self' ${ssoOrigin}`,
            `form-action 'self' ${ssoOrigin}`,
            `frame-src ${ssoOrigin}`,
            "img-src 'self' data:",
            // Element Plus positions popovers with inline styles.
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
        },
        strictTransportSecurity: {
          override: true,
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
        referrerPolicy: {
          override: true,
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        },
      },
    });

    // The API is never cached: TTL 0 (answers say no-store too); Authorization in the key is how
    // CloudFront passes it on to the origin.
    const apiCache = new CachePolicy(this, 'ApiNoCache', {
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });

    const rewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      code: FunctionCode.fromInline(SPA_REWRITE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Pages of the web app (paths without a file extension) are index.html',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Gonghui web app and API (same origin)',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`/${WEB_API_STAGE}/*`]: {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: apiCache,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The union’s members travel and study abroad; sign-in (the university SSO) and the API decide who gets in, not the country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Every page and API call needs a sign-in through the university SSO and the API’s JWT authorizer; a WAF web ACL (about US$5+/month) is an operator’s choice, attachable without code changes.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate allows TLSv1 for old clients; a custom domain with an ACM certificate (an ICP-filed one in China) allows minimumProtocolVersion TLSv1.2_2021. The viewer policy is HTTPS only.',
    });

    // Hashed assets: immutable. Everything else (index.html, config.json, favicon): revalidated.
    // Neither deployment prunes: the other's files and the previous build's assets (still
    // referenced by pages open in browsers) stay.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [Source.asset(`${props.distDir}/assets`)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [
        Source.asset(props.distDir, { exclude: ['assets', 'assets/**', '.build-stamp'] }),
        Source.jsonData('config.json', props.config),
      ],
      destinationBucket: this.bucket,
      prune: false,
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
    });
    pages.node.addDependency(assets);
    // BucketDeployment's handler is one function per stack (a singleton beside this construct).
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      const bucketArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
      const acknowledge = (id: string, reason: string) => Validations.of(handler).acknowledge({ id, reason });
      acknowledge(
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK’s BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own logs only.',
      );
      for (const wildcard of [
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        `Resource::${bucketArn}`,
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        'Resource::*',
      ]) {
        acknowledge(
          `AwsSolutions-IAM5[${wildcard}]`,
          'CDK’s BucketDeployment handler (CDK grants): it reads the stack’s asset objects in the CDK bootstrap bucket, writes the web app’s objects into this one bucket, and creates invalidations of this distribution (cloudfront:CreateInvalidation has no resource-level permission for a distribution created in the same stack).',
        );
      }
      acknowledge(
        'AwsSolutions-L1',
        'The BucketDeployment handler’s runtime is chosen by aws-cdk-lib and moves with it.',
      );
    }
  }
}
