package com.example.shop.auth.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.SessionRecord;
import com.example.shop.auth.store.SessionRecord.SpentToken;
import com.example.shop.auth.store.SessionStore;
import com.example.shop.auth.store.SessionStore.Rotation;
import com.example.shop.auth.store.SessionStore.SessionWithOwner;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.user.User;
import com.example.shop.auth.token.AccessTokens;
import com.example.shop.auth.token.AccessTokens.IssuedToken;
import com.example.shop.auth.token.RandomTokens;

/**
 * Sessions and their refresh tokens (RFC 9700 §4.14): each refresh rotates the token; a replaced token presented
 * again after the grace period is taken for theft and ends the session; sessions end at an absolute lifetime, after
 * an idle time, and when a user's newest logins push them past the per-user cap.
 */
@ApplicationScoped
public class SessionService {

    private static final int MAX_USER_AGENT_LENGTH = 200;

    private final SessionStore sessions;
    private final RandomTokens randomTokens;
    private final AccessTokens accessTokens;
    private final Clock clock;
    private final AuthConfig.Session config;
    private final AuthEvents events;

    public SessionService(SessionStore sessions, RandomTokens randomTokens, AccessTokens accessTokens, Clock clock,
            AuthConfig config, AuthEvents events) {
        this.sessions = sessions;
        this.randomTokens = randomTokens;
        this.accessTokens = accessTokens;
        this.clock = clock;
        this.config = config.session();
        this.events = events;
        if (this.config.maxPerUser() < 1 || this.config.maxPerUser() > SessionStore.MAX_PER_USER_LIMIT) {
            throw new IllegalStateException("auth.session.max-per-user must be between 1 and "
                    + SessionStore.MAX_PER_USER_LIMIT + " (one transaction ends them all), not " + this.config.maxPerUser());
        }
    }

    /** What a login or a refresh hands the client. */
    public record SignedIn(IssuedToken accessToken, String refreshToken, long refreshExpiresInSeconds) {
    }

    /**
     * Starts a session for a user whose password was just verified against {@code verified.passwordHash()}.
     * Returns empty when that password stopped being the user's meanwhile (a reset won the race).
     */
    public Optional<SignedIn> start(StoredUser verified, String userAgent) {
        Instant now = clock.instant();
        User user = verified.user();
        RefreshToken token = RefreshToken.of(user.userId(), UUID.randomUUID().toString(), randomTokens.newToken());
        SessionRecord session = new SessionRecord(token.sessionId(), user.userId(), token.hash(), List.of(),
                Instant.EPOCH, now, now, now.plus(config.absoluteLifetime()), shortUserAgent(userAgent));
        Optional<Set<String>> ended = sessions.start(verified, session, config.maxPerUser(), config.idleTimeout(), now);
        ended.ifPresent(ids -> ids.forEach(id -> events.sessionEnded(user.userId(), id, "evicted")));
        return ended.map(ids -> signedIn(user, session, token, now));
    }

    /**
     * Like {@link #start(StoredUser, String)}, for a sign-in whose methods (RFC 8176 {@code amr} values) the access
     * token should name. The methods are not carried into the token yet.
     */
    public Optional<SignedIn> start(StoredUser verified, String userAgent, List<String> amr) {
        return start(verified, userAgent);
    }

    /** Rotates the refresh token: the new pair is returned and the presented token stops working. */
    public SignedIn refresh(String presented) {
        RefreshToken token = RefreshToken.parse(presented).orElseThrow(InvalidRefreshTokenException::new);
        String hash = token.hash();
        RefreshToken[] next = new RefreshToken[1];
        Instant now = clock.instant();
        SessionWithOwner rotated = sessions.rotate(token.ownerId(), token.sessionId(), now, config.idleTimeout(),
                read -> {
                    SessionRecord session = read.session();
                    if (read.owner().disabled()) {
                        return Optional.empty();
                    }
                    if (!session.isLive(now, config.idleTimeout())) {
                        end(session, "expired");
                        return Optional.empty();
                    }
                    boolean current = hash.equals(session.refreshHash());
                    // every tab that refreshed with this token within the grace period of its replacement
                    boolean inGrace = session.spentAt(hash)
                            .filter(spentAt -> now.isBefore(spentAt.plus(config.refreshGrace()))).isPresent();
                    if (!current && !inGrace) {
                        if (session.spentAt(hash).isPresent()) {
                            end(session, "reuse");
                            events.refreshTokenReused(session.ownerId(), session.sessionId());
                        }
                        return Optional.empty();
                    }
                    next[0] = RefreshToken.of(session.ownerId(), session.sessionId(), randomTokens.newToken());
                    return Optional.of(new Rotation(next[0].hash(), spentAfter(session, now)));
                })
                .orElseThrow(InvalidRefreshTokenException::new);
        return signedIn(rotated.owner(), rotated.session(), next[0], now);
    }

    /** Ends the session the token belongs to, if it is one of ours; says nothing either way. */
    public void logout(String presented) {
        Optional<RefreshToken> token = RefreshToken.parse(presented);
        if (token.isEmpty()) {
            return;
        }
        String hash = token.get().hash();
        sessions.find(token.get().sessionId())
                .filter(s -> hash.equals(s.refreshHash()) || s.spentAt(hash).isPresent())
                .ifPresent(s -> end(s, "logout"));
    }

    /**
     * The session's user, if the session is live and belongs to that user: what every authenticated request checks,
     * in one round trip that reads both.
     */
    public Optional<User> liveSessionOwner(String userId, String sessionId) {
        Instant now = clock.instant();
        return sessions.findWithOwner(userId, sessionId)
                .filter(found -> found.session().isLive(now, config.idleTimeout()) && !found.owner().disabled())
                .map(SessionWithOwner::owner);
    }

    /** The user's live sessions, newest first. */
    public List<SessionSummary> liveSessions(String userId) {
        Instant now = clock.instant();
        return sessions.findAllOf(userId).stream()
                .filter(s -> s.isLive(now, config.idleTimeout()))
                .map(s -> new SessionSummary(s.sessionId(), s.createdAt(), s.lastUsedAt(), s.userAgent()))
                .toList();
    }

    /** Ends one live session of the user (signing out a device from another one). */
    public void endSession(String userId, String sessionId) {
        if (!RefreshToken.isSessionId(sessionId)) {
            throw new SessionNotFoundException();
        }
        Instant now = clock.instant();
        SessionRecord session = sessions.find(sessionId)
                .filter(s -> s.ownerId().equals(userId) && s.isLive(now, config.idleTimeout()))
                .orElseThrow(SessionNotFoundException::new);
        end(session, "revoked");
    }

    private void end(SessionRecord session, String reason) {
        sessions.end(session.ownerId(), session.sessionId());
        events.sessionEnded(session.ownerId(), session.sessionId(), reason);
    }

    /** The session's remembered spent tokens after a rotation: its current one added, the oldest dropped. */
    private List<SpentToken> spentAfter(SessionRecord session, Instant now) {
        List<SpentToken> spent = new ArrayList<>(session.spent());
        spent.add(new SpentToken(session.refreshHash(), now));
        int excess = spent.size() - config.rememberedSpentTokens();
        return excess > 0 ? List.copyOf(spent.subList(excess, spent.size())) : spent;
    }

    private SignedIn signedIn(User user, SessionRecord session, RefreshToken token, Instant now) {
        IssuedToken access = accessTokens.issue(user.userId(), user.email(), user.emailVerified(), session.sessionId());
        Instant ends = now.plus(config.idleTimeout());
        if (ends.isAfter(session.expiresAt())) {
            ends = session.expiresAt();
        }
        return new SignedIn(access, token.value(), Duration.between(now, ends).toSeconds());
    }

    /** Enough of the User-Agent header to tell devices apart in the session list; no control characters. */
    static String shortUserAgent(String header) {
        if (header == null || header.isBlank()) {
            return "unknown";
        }
        String cleaned = header.strip().codePoints()
                .filter(c -> !Character.isISOControl(c))
                .limit(MAX_USER_AGENT_LENGTH)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }
}
