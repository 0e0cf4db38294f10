package com.example.shop.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the service. Each key can be set as an environment variable, e.g.
 * {@code auth.jwt.kms-key-id} as {@code AUTH_JWT_KMS_KEY_ID}.
 */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** Name of the DynamoDB users table. */
    @WithDefault("ecommerce-users")
    String usersTable();

    Password password();

    Lockout lockout();

    Jwt jwt();

    Session session();

    Reset reset();

    Verification verification();

    EmailChange emailChange();

    Login login();

    Admin admin();

    Mail mail();

    Abuse abuse();

    Device device();

    Mfa mfa();
    Webauthn webauthn();

    interface Password {
        /** bcrypt cost factor (log2 of the rounds). */
        @WithDefault("12")
        int bcryptCost();

        /** Minimum length in Unicode code points; values below 8 are refused at startup. */
        @WithDefault("15")
        int minLength();
    }

    interface Lockout {
        /** Consecutive failures from which the account is locked. */
        @WithDefault("5")
        int threshold();

        /** Upper bound of the growing lock. */
        @WithDefault("PT15M")
        Duration maxLock();
    }

    interface Jwt {
        /** KMS key id, ARN or alias of the RSA_2048 SIGN_VERIFY key that signs new access tokens. */
        String kmsKeyId();

        /**
         * KMS keys (id, ARN or alias) that signed access tokens before {@link #kmsKeyId()} and are still trusted:
         * published in the JWK set after the current key, and accepted for tokens whose {@code kid} is theirs.
         * Empty by default; as an environment variable, comma separated. Only for a rotation: list the old key
         * until its last tokens have expired, then remove it (docs/operations.md).
         */
        Optional<List<String>> previousKmsKeyIds();

        @WithDefault("https://auth.shop.example.com")
        String issuer();

        @WithDefault("shop-api")
        String audience();

        @WithDefault("PT15M")
        Duration ttl();

        /**
         * Where verifiers fetch the JWK set, published in the OpenID discovery document; by default this API's
         * own route under the issuer URL. API Gateway's JWT authorizer finds keys only through
         * {@code <issuer>/.well-known/openid-configuration}.
         */
        Optional<String> jwksUri();
    }

    /** Sign-in sessions and their refresh tokens (RFC 9700 §4.14). */
    interface Session {
        /** A session ends this long after login, however much it is used. */
        @WithDefault("P30D")
        Duration absoluteLifetime();

        /** A session ends when no refresh has used it for this long. */
        @WithDefault("P7D")
        Duration idleTimeout();

        /**
         * How long after a rotation the replaced refresh token still works (two tabs refreshing at once). Presented
         * later, it counts as theft and ends the session. Zero disables the grace.
         */
        @WithDefault("PT10S")
        Duration refreshGrace();

        /** Live sessions a user may have; a login beyond it ends the oldest. */
        @WithDefault("10")
        int maxPerUser();

        /**
         * Replaced refresh tokens a session remembers, newest first, to recognise their reuse; an older one
         * presented again is refused like an unknown token.
         */
        @WithDefault("20")
        int rememberedSpentTokens();
    }

    interface Reset {
        @WithDefault("PT30M")
        Duration tokenTtl();

        /**
         * Least time a reset request takes, whether or not the account exists: above the real work's usual
         * duration (two reads, a transaction and an SES call), so timing does not reveal which emails exist.
         */
        @WithDefault("PT0.5S")
        Duration minResponseTime();

        /**
         * Page that takes the token ({@code ?token=} is appended), e.g. the shop's own. Unset: this API's own
         * {@code /reset-password} page, on the domain API Gateway was reached at (never the raw Host header).
         */
        Optional<String> linkBaseUrl();
    }

    interface Verification {
        @WithDefault("P1D")
        Duration tokenTtl();

        /** Like {@code auth.reset.link-base-url}, for the verification link; unset: this API's {@code /verify-email}. */
        Optional<String> linkBaseUrl();
    }

    /** Changing the email of an account: a link to the new address proves it. */
    interface EmailChange {
        /**
         * How long the link to the new address works. The user asked a moment ago and waits for it, so it can be
         * short (a leaked link moves the account's sign-in address); an hour leaves room for a first mail from a new
         * sender being greylisted by the new address's provider.
         */
        @WithDefault("PT1H")
        Duration tokenTtl();

        /**
         * Like {@code auth.reset.link-base-url}, for the email-change link; unset: this API's own
         * {@code /confirm-email-change} page.
         */
        Optional<String> linkBaseUrl();
    }

    interface Login {
        /**
         * When true, an account whose email is not verified cannot log in: the right password gets a 403
         * {@code email-not-verified} and a fresh verification link.
         */
        @WithDefault("false")
        boolean requireVerifiedEmail();
    }

    interface Admin {
        /**
         * The caller an admin request without an IAM caller counts as, in dev mode only (the local run has no API
         * Gateway to sign requests). Ignored in every other launch mode, so no setting of a packaged function can
         * switch it on.
         */
        Optional<String> localCallerArn();
    }

    interface Mail {
        /** Verified SES identity that sends reset and notice emails. */
        @WithDefault("no-reply@shop.example.com")
        String sender();

        /** Optional SES configuration set, for bounce and complaint tracking. */
        Optional<String> configurationSet();
    }

    /**
     * Budgets that bound what one caller can make the service do: fixed windows, counted in the table
     * ({@code RateCounterStore}).
     */
    interface Abuse {
        /**
         * Emails of one kind (reset, verification resend, email change) one address receives per
         * {@code mail-per-address-window}; past it the request answers as always and sends nothing.
         */
        @WithDefault("5")
        int mailPerAddress();

        @WithDefault("PT1H")
        Duration mailPerAddressWindow();

        /** Failed logins one source IP may make per {@code login-failures-per-ip-window}; past it logins get 429. */
        @WithDefault("100")
        int loginFailuresPerIp();

        @WithDefault("PT15M")
        Duration loginFailuresPerIpWindow();

        /**
         * Requests that mail an address the caller types (reset, verification resend) one source IP may make per
         * {@code mail-requests-per-ip-window}; past it they get 429.
         */
        @WithDefault("20")
        int mailRequestsPerIp();

        @WithDefault("PT1H")
        Duration mailRequestsPerIpWindow();

        /**
         * Source IPs no per-IP budget applies to: the shop's own servers if they call the API for many customers from
         * one address. Each one listed loses the per-IP defences; unset by default.
         */
        Optional<Set<String>> unbudgetedSourceIps();
    }

    /** Second factors: TOTP (RFC 6238) with recovery codes. */
    interface Mfa {
        /**
         * KMS key id, ARN or alias of the symmetric key that encrypts TOTP secrets (encryption context: the user
         * id). The template passes its own key's ARN to the functions that need it; the default is the local run's.
         */
        @WithDefault("alias/ecommerce-users-totp")
        String kmsKeyId();

        /** The issuer authenticator apps show next to the account (the otpauth URI's label and issuer). */
        @WithDefault("Shop")
        String issuer();
    }

    /** Device tokens: what lets a client that logged in before keep logging in while its account is under attack. */
    interface Device {
        /** How long a device token stays valid; every successful login with it replaces it with a new one. */
        @WithDefault("P90D")
        Duration tokenTtl();

        /**
         * Device tokens a user keeps (kept on the user's item); a login beyond it drops the oldest, whose client then
         * logs in as an untrusted one until its next success.
         */
        @WithDefault("10")
        int maxPerUser();
    }

    /** Passkeys (WebAuthn): the relying party they are bound to, and the pages allowed to use them. */
    interface Webauthn {
        /**
         * The relying party id: the shop's registrable domain (or a parent domain of every page that uses passkeys).
         * Passkeys are bound to it for good: changing it orphans every passkey registered under the old one.
         */
        @WithDefault("shop.example.com")
        String rpId();

        /** The name authenticators show next to the passkey. */
        @WithDefault("Shop")
        String rpName();

        /**
         * The origins (scheme, host and port) of the pages that register and use passkeys, e.g. the storefront's;
         * each must be the rp id or a subdomain of it. As an environment variable, comma separated.
         */
        @WithDefault("https://shop.example.com")
        List<String> origins();

        /** How long a registration or sign-in challenge stays usable. */
        @WithDefault("PT5M")
        Duration challengeTtl();

        /** Passkeys one user may have. */
        @WithDefault("10")
        int maxPerUser();
    }
}
