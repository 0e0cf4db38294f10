package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.RateCounterStore;
import com.example.shop.auth.store.RateCounterStore.Window;
import com.example.shop.auth.token.RandomTokens;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * How many emails of one kind an address receives per window ({@code auth.abuse.mail-per-address}, 5 an hour by
 * default), so nobody can aim a mail bomb at a customer through the routes that mail an address the caller types.
 * Routes ask {@link #allow} right before they send; past the budget they answer exactly as before and send nothing.
 * <p>
 * The counter's key holds the SHA-256 of the address, not the address: the table then keeps no further copy of an
 * address (counters outlive a deleted account until their TTL, and count addresses that are no account's, such as
 * the new address of an email change), and the stream audit shows none.
 * <p>
 * Fails closed: when the counter cannot be written (DynamoDB throttling that key, or down), nothing is sent and the
 * route still answers as always. A counter throttled on its own key means that address is being hammered; and an
 * error here must not turn into an answer that only existing accounts get.
 */
@ApplicationScoped
public class MailBudget {

    private static final Logger LOG = Logger.getLogger(MailBudget.class);

    private final RateCounterStore counters;
    private final Clock clock;
    private final AuthConfig.Abuse config;
    private final AuthEvents events;

    public MailBudget(RateCounterStore counters, Clock clock, AuthConfig config, AuthEvents events) {
        this.counters = counters;
        this.clock = clock;
        this.config = config.abuse();
        this.events = events;
    }

    /**
     * Charges one email of {@code kind} to the (normalised) address; true when it may be sent. Call it only when an
     * email is about to go out: a false answer has been written to the audit trail already.
     */
    public boolean allow(MailKind kind, String normalisedAddress) {
        Instant now = clock.instant();
        Window window = FixedWindow.of("mail-" + kind.label(), RandomTokens.hash(normalisedAddress),
                config.mailPerAddressWindow(), now);
        long count;
        try {
            count = counters.charge(window);
        } catch (SdkException e) {
            LOG.warnf("The %s mail budget could not be counted (%s); nothing is sent", kind.label(),
                    e.getClass().getSimpleName());
            events.mailSuppressed(kind.label(), normalisedAddress, "budget_unavailable");
            return false;
        }
        if (count > config.mailPerAddress()) {
            events.mailSuppressed(kind.label(), normalisedAddress, "budget_spent");
            return false;
        }
        return true;
    }
}
