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
import com.example.shop.auth.store.TokenPurpose;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.RandomTokens;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Issues the one-time tokens our emails carry (reset, verification) and finds them again: a newer token replaces
 * the user's older one of the same purpose; a token whose email could not be sent is withdrawn at once, since a
 * link nobody received must not stay usable.
 */
@ApplicationScoped
public class OneTimeLinks {

    private static final Logger LOG = Logger.getLogger(OneTimeLinks.class);
    /** A request that loses a race with another one for the same user tries again this often. */
    private static final int ATTEMPTS = 3;

    private final UserStore users;
    private final OneTimeTokenStore tokens;
    private final RandomTokens randomTokens;
    private final Clock clock;

    public OneTimeLinks(UserStore users, OneTimeTokenStore tokens, RandomTokens randomTokens, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.randomTokens = randomTokens;
        this.clock = clock;
    }

    /**
     * Issues a token for the user, if it still {@code qualifies} when read again after a lost race, and hands it to
     * {@code send}. Returns true when a link was sent.
     */
    boolean issue(UserRecord user, TokenPurpose purpose, Duration ttl, Predicate<UserRecord> qualifies,
            Consumer<String> send) {
        UserRecord current = user;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String token = randomTokens.newToken();
            Instant now = clock.instant();
            OneTimeTokenRecord record = new OneTimeTokenRecord(purpose, RandomTokens.hash(token), current.userId(),
                    now.plus(ttl), now);
            if (tokens.replace(current, record)) {
                return deliver(record, token, send);
            }
            Optional<UserRecord> reread = users.findUser(current.userId()).filter(qualifies);
            if (reread.isEmpty()) {
                return false;
            }
            current = reread.get();
        }
        LOG.warnf("A %s link lost %d races in a row with other requests for the same user; none sent", purpose, ATTEMPTS);
        return false;
    }

    /** The live token of that purpose, with its user, if the token is still the user's live one. */
    Optional<Holder> find(TokenPurpose purpose, String token) {
        if (!RandomTokens.looksLikeToken(token)) {
            return Optional.empty();
        }
        String hash = RandomTokens.hash(token);
        return tokens.find(purpose, hash)
                .filter(record -> record.isLive(clock.instant()))
                .flatMap(record -> holderOf(record).map(user -> new Holder(record, user)));
    }

    /** The token's user, as long as the token is still that user's live one. */
    Optional<UserRecord> holderOf(OneTimeTokenRecord record) {
        return users.findUser(record.ownerId())
                .filter(u -> u.liveToken(record.purpose()).filter(record.tokenHash()::equals).isPresent());
    }

    record Holder(OneTimeTokenRecord token, UserRecord user) {
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
