package com.example.shop.auth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.example.shop.auth.store.OneTimeTokenRecord;
import com.example.shop.auth.store.OneTimeTokenStore;
import com.example.shop.auth.store.OneTimeTokenStore.TokenHolder;
import com.example.shop.auth.BusyException;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.token.RandomTokens;
import com.example.shop.auth.user.User;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Issues the one-time tokens our emails carry (reset, verification, email change) and finds them again: a newer token replaces
 * the user's older one of the same purpose; a token whose email could not be sent is withdrawn at once, since a
 * link nobody received must not stay usable.
 */
@ApplicationScoped
public class OneTimeLinks {

    private static final Logger LOG = Logger.getLogger(OneTimeLinks.class);

    private final OneTimeTokenStore tokens;
    private final RandomTokens randomTokens;
    private final Clock clock;

    public OneTimeLinks(OneTimeTokenStore tokens, RandomTokens randomTokens, Clock clock) {
        this.tokens = tokens;
        this.randomTokens = randomTokens;
        this.clock = clock;
    }

    /**
     * Issues a token for the user, if it {@code qualifies} (checked again on every read), and hands it to
     * {@code send}. Returns true when a link was sent.
     */
    boolean issue(StoredUser user, TokenPurpose purpose, Duration ttl, Predicate<User> qualifies, Consumer<String> send) {
        return issue(user, purpose, Optional.empty(), ttl, qualifies, send);
    }

    /** Like {@link #issue(StoredUser, TokenPurpose, Duration, Predicate, Consumer)}, for a token naming an address. */
    boolean issue(StoredUser user, TokenPurpose purpose, Optional<String> pendingEmail, Duration ttl,
            Predicate<User> qualifies, Consumer<String> send) {
        String token = randomTokens.newToken();
        Instant now = clock.instant();
        Optional<OneTimeTokenRecord> stored;
        try {
            stored = tokens.issue(user, purpose, RandomTokens.hash(token), pendingEmail, now.plus(ttl), now,
                    qualifies);
        } catch (BusyException e) {
            // other requests for the same user keep winning: answer as always (nothing tells an account exists)
            LOG.warnf("A %s link for user %s was not sent: %s", purpose, user.userId(), e.getMessage());
            return false;
        }
        return stored.isPresent() && deliver(stored.get(), token, send);
    }

    /** The live token of that purpose, with its user, if the token is still the user's live one. */
    Optional<TokenHolder> find(TokenPurpose purpose, String token) {
        if (!RandomTokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        return tokens.findLive(purpose, RandomTokens.hash(token), clock.instant());
    }

    private boolean deliver(OneTimeTokenRecord record, String token, Consumer<String> send) {
        try {
            send.accept(token);
            return true;
        } catch (SdkException e) {
            LOG.errorf("A %s email for user %s could not be sent (%s); the token was withdrawn", record.purpose(),
                    record.ownerId(), e.getClass().getSimpleName());
            tokens.revoke(record);
            return false;
        }
    }
}
