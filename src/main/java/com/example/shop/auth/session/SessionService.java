package com.example.shop.auth.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.account.AuthEvents;
import com.example.shop.auth.store.SessionRecord;
import com.example.shop.auth.store.SessionStore;
import com.example.shop.auth.store.UserRecord;
import com.example.shop.auth.store.UserStore;
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

    /** A refresh that loses a race with another change of the same session re-reads it this often. */
    private static final int ATTEMPTS = 3;
    private static final int MAX_USER_AGENT_LENGTH = 200;

    private final UserStore users;
    private final SessionStore sessions;
    private final RandomTokens randomTokens;
    private final AccessTokens accessTokens;
    private final Clock clock;
    private final AuthConfig.Session config;
    private final AuthEvents events;

    public SessionService(UserStore users, SessionStore sessions, RandomTokens randomTokens, AccessTokens accessTokens,
            Clock clock, AuthConfig config, AuthEvents events) {
        this.users = users;
        this.sessions = sessions;
        this.randomTokens = randomTokens;
        this.accessTokens = accessTokens;
        this.clock = clock;
        this.config = config.session();
        this.events = events;
    }

    /** What a login or a refresh hands the client. */
    public record SignedIn(IssuedToken accessToken, String refreshToken, long refreshExpiresInSeconds) {
    }

    /**
     * Starts a session for a user whose password was just verified against {@code user.passwordHash()}. Returns
     * empty when that password stopped being the user's meanwhile (a reset won the race).
     */
    public Optional<SignedIn> start(UserRecord verified, String userAgent) {
        UserRecord user = verified;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Set<String> ending = beyondCap(user, now);
            RefreshToken token = RefreshToken.of(UUID.randomUUID().toString(), randomTokens.newToken());
            SessionRecord session = new SessionRecord(token.sessionId(), user.userId(), token.hash(), List.of(),
                    Instant.EPOCH, now, now, now.plus(config.absoluteLifetime()), shortUserAgent(userAgent));
            if (sessions.start(user, session, ending, config.idleTimeout())) {
                UserRecord owner = user;
                ending.forEach(id -> events.sessionEnded(owner.userId(), id, "evicted"));
                return Optional.of(signedIn(user, session, token, now));
            }
            Optional<UserRecord> reread = users.findUser(user.userId())
                    .filter(u -> u.passwordHash().equals(verified.passwordHash()));
            if (reread.isEmpty()) {
                return Optional.empty();
            }
            user = reread.get();
        }
        throw new IllegalStateException("a login lost " + ATTEMPTS + " races in a row with other session changes");
    }

    /** Rotates the refresh token: the new pair is returned and the presented token stops working. */
    public SignedIn refresh(String presented) {
        RefreshToken token = RefreshToken.parse(presented).orElseThrow(InvalidRefreshTokenException::new);
        String hash = token.hash();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            SessionRecord session = sessions.find(token.sessionId()).orElseThrow(InvalidRefreshTokenException::new);
            Instant now = clock.instant();
            if (!session.isLive(now, config.idleTimeout())) {
                end(session, "expired");
                throw new InvalidRefreshTokenException();
            }
            boolean current = hash.equals(session.refreshHash());
            boolean inGrace = session.isLastSpent(hash) && now.isBefore(session.rotatedAt().plus(config.refreshGrace()));
            if (!current && !inGrace) {
                if (session.spentRefreshHashes().contains(hash)) {
                    end(session, "reuse");
                    events.refreshTokenReused(session.ownerId(), session.sessionId());
                }
                throw new InvalidRefreshTokenException();
            }
            UserRecord user = users.findUser(session.ownerId()).orElseThrow(InvalidRefreshTokenException::new);
            RefreshToken next = RefreshToken.of(session.sessionId(), randomTokens.newToken());
            if (sessions.rotate(session, next.hash(), spentAfter(session), now, now, config.idleTimeout())) {
                return signedIn(user, session, next, now);
            }
        }
        // Every attempt lost a race with another rotation of the same session: refuse rather than fork it.
        throw new InvalidRefreshTokenException();
    }

    /** Ends the session the token belongs to, if it is one of ours; says nothing either way. */
    public void logout(String presented) {
        Optional<RefreshToken> token = RefreshToken.parse(presented);
        if (token.isEmpty()) {
            return;
        }
        String hash = token.get().hash();
        sessions.find(token.get().sessionId())
                .filter(s -> hash.equals(s.refreshHash()) || s.spentRefreshHashes().contains(hash))
                .ifPresent(s -> end(s, "logout"));
    }

    /** The session, if it is live and belongs to the user: what every authenticated request checks. */
    public Optional<SessionRecord> liveSession(String userId, String sessionId) {
        Instant now = clock.instant();
        return sessions.find(sessionId)
                .filter(s -> s.ownerId().equals(userId) && s.isLive(now, config.idleTimeout()));
    }

    /** The user's live sessions, newest first. */
    public List<SessionRecord> liveSessions(String userId) {
        Instant now = clock.instant();
        Set<String> ids = users.findUser(userId).map(UserRecord::sessionIds).orElse(Set.of());
        return sessions.findAll(ids).stream()
                .filter(s -> s.ownerId().equals(userId) && s.isLive(now, config.idleTimeout()))
                .sorted(Comparator.comparing(SessionRecord::createdAt).reversed())
                .toList();
    }

    /** Ends one live session of the user (signing out a device from another one). */
    public void endSession(String userId, String sessionId) {
        if (!RefreshToken.isSessionId(sessionId)) {
            throw new SessionNotFoundException();
        }
        SessionRecord session = liveSession(userId, sessionId).orElseThrow(SessionNotFoundException::new);
        end(session, "revoked");
    }

    private void end(SessionRecord session, String reason) {
        sessions.end(session.ownerId(), session.sessionId());
        events.sessionEnded(session.ownerId(), session.sessionId(), reason);
    }

    /** The sessions a new login ends: those already over, and the oldest live ones beyond the cap. */
    private Set<String> beyondCap(UserRecord user, Instant now) {
        if (user.sessionIds().size() < config.maxPerUser()) {
            return Set.of();
        }
        List<SessionRecord> kept = sessions.findAll(user.sessionIds()).stream()
                .filter(s -> s.ownerId().equals(user.userId()) && s.isLive(now, config.idleTimeout()))
                .sorted(Comparator.comparing(SessionRecord::createdAt).reversed())
                .limit(Math.max(0, config.maxPerUser() - 1))
                .toList();
        Set<String> ending = new HashSet<>(user.sessionIds());
        kept.forEach(s -> ending.remove(s.sessionId()));
        return ending;
    }

    /** The session's remembered spent tokens after a rotation: its current one added, the oldest dropped. */
    private List<String> spentAfter(SessionRecord session) {
        List<String> spent = new ArrayList<>(session.spentRefreshHashes());
        spent.add(session.refreshHash());
        int excess = spent.size() - config.rememberedSpentTokens();
        return excess > 0 ? List.copyOf(spent.subList(excess, spent.size())) : spent;
    }

    private SignedIn signedIn(UserRecord user, SessionRecord session, RefreshToken token, Instant now) {
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
