package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.RateCounterStore;
import com.example.shop.auth.store.RateCounterStore.Window;
import com.example.shop.auth.token.RandomTokens;

/**
 * Budgets per source IP (API Gateway's {@code requestContext.http.sourceIp}): failed logins (credential stuffing,
 * {@code auth.abuse.login-failures-per-ip} per window) and requests that mail an address the caller types
 * ({@code auth.abuse.mail-requests-per-ip}). Past one, the request is refused with 429 and {@code Retry-After}
 * (the window's end), before anything about the email is looked at, so known and unknown emails get the same answer.
 * <p>
 * Fails closed: a counter that cannot be read or written is an error (503), as the table the request needs anyway
 * is then unavailable; and a counter throttled on its own key means that IP is the one hammering.
 */
@ApplicationScoped
public class SourceIpBudgets {

    /** The longest subject a counter key takes as it is; anything else an IP could be is hashed. */
    private static final int MAX_PLAIN_LENGTH = 45;

    private final RateCounterStore counters;
    private final Clock clock;
    private final AuthConfig.Abuse config;
    private final Set<String> unbudgeted;
    private final AuthEvents events;

    public SourceIpBudgets(RateCounterStore counters, Clock clock, AuthConfig config, AuthEvents events) {
        this.counters = counters;
        this.clock = clock;
        this.config = config.abuse();
        this.unbudgeted = this.config.unbudgetedSourceIps().orElse(Set.of());
        this.events = events;
    }

    /**
     * Charges one request that mails an address the caller typed; throws {@link TooManyRequestsException} past the
     * IP's budget. Every request counts, whether or not the address has an account.
     */
    public void chargeMailRequest(Optional<String> sourceIp) {
        Optional<String> ip = budgeted(sourceIp);
        if (ip.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Window window = FixedWindow.of("mail-requests-ip", subject(ip.get()), config.mailRequestsPerIpWindow(), now);
        if (counters.charge(window) > config.mailRequestsPerIp()) {
            refuse("mail_requests", window, now);
        }
    }

    /** Throws {@link TooManyRequestsException} when the IP has spent its budget of failed logins. */
    public void checkLoginFailures(Optional<String> sourceIp) {
        Optional<String> ip = budgeted(sourceIp);
        if (ip.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Window window = loginFailures(ip.get(), now);
        if (counters.count(window) >= config.loginFailuresPerIp()) {
            refuse("login_failures", window, now);
        }
    }

    /** Counts one failed login of the IP (unknown email or wrong password alike). */
    public void countLoginFailure(Optional<String> sourceIp) {
        budgeted(sourceIp).ifPresent(ip -> counters.charge(loginFailures(ip, clock.instant())));
    }

    private Window loginFailures(String ip, Instant now) {
        return FixedWindow.of("login-failures-ip", subject(ip), config.loginFailuresPerIpWindow(), now);
    }

    private void refuse(String budget, Window window, Instant now) {
        Duration retryAfter = FixedWindow.untilEnd(window, now);
        events.rateLimited(budget, retryAfter.toSeconds());
        throw new TooManyRequestsException(retryAfter);
    }

    private Optional<String> budgeted(Optional<String> sourceIp) {
        return sourceIp.filter(ip -> !ip.isBlank() && !unbudgeted.contains(ip));
    }

    /**
     * The IP as it is in the counter's key (operators can read which addresses were refused), unless it is not
     * shaped like an IPv4 or IPv6 address, which API Gateway never sends: then its hash.
     */
    private static String subject(String ip) {
        boolean plain = ip.length() <= MAX_PLAIN_LENGTH && ip.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':');
        return plain ? ip : RandomTokens.hash(ip);
    }
}
