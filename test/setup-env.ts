// The AWS SDK warns on every client about Node.js 20, which idc-guard supports; the CLI turns the warning off
// (src/live/reader.ts), and so do the tests that build SDK clients of their own (seeding).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
