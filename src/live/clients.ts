/** The one SDK client configuration: Identity Center, Organizations and Access Analyzer clients. */

export interface ClientOptions {
  /** Overrides the SDK's region chain (AWS_REGION, the profile's region, …). */
  region?: string;
  /** Attempts per call, retries included (default 6; adaptive retry mode). */
  maxAttempts?: number;
  /** Tests and the bench: serve every call in memory (an SDK HttpHandler), with these credentials. */
  transport?: { requestHandler: unknown; credentials: { accessKeyId: string; secretAccessKey: string } };
}

/**
 * Endpoints are not passed: the SDK itself honours AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL (and
 * endpoint_url in the shared config).
 */
export function clientConfig(options: ClientOptions): object {
  // The SDK warns on stderr about Node.js 20, which idc-guard supports; that line would break the CLI's
  // contract of one clear line on stderr, so it is off unless the user set the variable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    // A hung connection is retried (TimeoutError is transient) instead of stalling the run.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    ...(options.transport ?? {}),
  };
}
