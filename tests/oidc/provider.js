// A real OpenID provider on loopback for Leerlijn's SSO tests (oidc-provider, dev interactions).
// Environment:
//   REDIRECT_URIS       comma-separated redirect URIs of the client "leerlijn" (and "leerlijn-other")
//   CLOCK_SKEW_SECONDS  the provider's clock runs this far off while it issues tokens (default 0)
// The login page accepts any login: the login is the account's e-mail address.
// Prints "listening <issuer>" on stdout once it accepts connections.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);
const skewMs = Number(process.env.CLOCK_SKEW_SECONDS || 0) * 1000;

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const client = (id) => ({
    client_id: id,
    client_secret: `${id}-secret`,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });
  const provider = new Provider(issuer, {
    clients: [client('leerlijn'), client('leerlijn-other')],
    cookies: { keys: ['test-only-cookie-key'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    ttl: { AuthorizationCode: 600 }, // long enough for the clock-skew tests (a provider 5 minutes ahead)
    conformIdTokenClaims: false, // e-mail and name in the ID token, as Entra ID sends them
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: id.split('@')[0] };
        },
      };
    },
  });
  if (skewMs) {
    // A provider whose clock is off: only while it issues tokens, so its own cookies stay usable.
    const realNow = Date.now;
    provider.use(async (ctx, next) => {
      if (ctx.path !== '/token') return next();
      Date.now = () => realNow() + skewMs;
      try { await next(); } finally { Date.now = realNow; }
    });
  }
  server.on('request', provider.callback());
  process.stdout.write(`listening ${issuer}\n`);
});
