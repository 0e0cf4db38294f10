package com.example.shop.auth.passkey;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.account.AccountDisabledException;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.passkey.RelyingParty.Assertion;
import com.example.shop.auth.passkey.RelyingParty.CounterWentBackwards;
import com.example.shop.auth.passkey.RelyingParty.VerifiedAssertion;
import com.example.shop.auth.passkey.RelyingParty.VerifiedRegistration;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.session.SessionService.SignedIn;
import com.example.shop.auth.store.ChallengeStore;
import com.example.shop.auth.store.PasskeyRecord;
import com.example.shop.auth.store.PasskeyStore;
import com.example.shop.auth.store.PasskeyStore.PasskeyWithOwner;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.RandomTokens;
import com.example.shop.auth.user.User;

/**
 * Passkeys: a signed-in user registers, lists and deletes them; anyone signs in with one (a discoverable
 * credential: no email asked). Challenges are 32 random bytes, stored by hash, for one purpose (and for a
 * registration one user), used once, for a few minutes.
 */
@ApplicationScoped
public class PasskeyService {

    /** RFC 8176 methods of a passkey sign-in with user verification: a key, and the user's gesture or PIN. */
    static final List<String> DEVICE_BOUND_AMR = List.of("hwk", "user", "mfa");
    /** Likewise for a synced passkey (backup eligible): its key is not bound to one piece of hardware. */
    static final List<String> SYNCED_AMR = List.of("swk", "user", "mfa");
    private static final int MAX_NICKNAME_LENGTH = 64;
    private static final String DEFAULT_NICKNAME = "Passkey";

    private final RelyingParty relyingParty;
    private final PasskeyStore passkeys;
    private final ChallengeStore challenges;
    private final UserStore users;
    private final SessionService sessions;
    private final RandomTokens randomTokens;
    private final Clock clock;
    private final AuthConfig.Webauthn config;
    private final AuthEvents events;

    PasskeyService(RelyingParty relyingParty, PasskeyStore passkeys, ChallengeStore challenges, UserStore users,
            SessionService sessions, RandomTokens randomTokens, Clock clock, AuthConfig config, AuthEvents events) {
        this.relyingParty = relyingParty;
        this.passkeys = passkeys;
        this.challenges = challenges;
        this.users = users;
        this.sessions = sessions;
        this.randomTokens = randomTokens;
        this.clock = clock;
        this.config = config.webauthn();
        this.events = events;
    }

    /** Options to create a passkey for the signed-in user; 409 when it has as many as allowed. */
    public CreationOptions registrationOptions(String userId) {
        StoredUser stored = signedIn(userId);
        List<Passkey> existing = passkeys.list(stored).stream().map(PasskeyService::view).toList();
        if (existing.size() >= config.maxPerUser()) {
            throw new TooManyPasskeysException();
        }
        String challenge = randomTokens.newToken();
        Instant now = clock.instant();
        if (!challenges.issueForRegistration(stored, RandomTokens.hash(challenge), now.plus(config.challengeTtl()), now)) {
            throw new NotSignedInException();
        }
        User user = stored.user();
        return new CreationOptions(relyingParty.id(), relyingParty.name(),
                RelyingParty.base64Url(userId.getBytes(StandardCharsets.UTF_8)), user.email(), user.name(), challenge,
                config.challengeTtl().toMillis(), Arrays.stream(RelyingParty.ALGORITHMS).boxed().toList(), existing);
    }

    /** Verifies a registration response and stores its passkey, consuming the user's registration challenge. */
    public Passkey register(String userId, String responseJson, String rawNickname) {
        String nickname = nickname(rawNickname);
        VerifiedRegistration verified = relyingParty.verifyRegistration(responseJson);
        Instant now = clock.instant();
        PasskeyRecord passkey = new PasskeyRecord(verified.credentialId(), userId, verified.publicKey(),
                verified.signCount(), verified.backupEligible(), verified.backedUp(), verified.transports(),
                verified.aaguid(), nickname, now, Optional.empty());
        switch (passkeys.register(RandomTokens.hash(verified.challenge()), passkey, config.maxPerUser(), now)) {
            case REGISTERED -> {
                events.passkeyRegistered(userId, passkey.passkeyId());
                return view(passkey);
            }
            case CHALLENGE_REFUSED -> throw new PasskeyNotVerifiedException();
            case ALREADY_REGISTERED -> throw new PasskeyAlreadyRegisteredException();
            case FULL -> throw new TooManyPasskeysException();
            default -> throw new AccountDisabledException();
        }
    }

    public List<Passkey> list(String userId) {
        return passkeys.list(signedIn(userId)).stream().map(PasskeyService::view).toList();
    }

    /** Deletes one of the user's passkeys; 404 for an unknown one or another user's. */
    public void delete(String userId, String passkeyId) {
        if (!looksLikeCredentialId(passkeyId) || !passkeys.delete(userId, passkeyId)) {
            throw new UnknownPasskeyException();
        }
        events.passkeyDeleted(userId, passkeyId);
    }

    /** Options to sign in with any passkey of this relying party (no account named). */
    public RequestOptions authenticationOptions() {
        String challenge = randomTokens.newToken();
        Instant now = clock.instant();
        challenges.issueForSignIn(RandomTokens.hash(challenge), now.plus(config.challengeTtl()), now);
        return new RequestOptions(challenge, relyingParty.id(), config.challengeTtl().toMillis());
    }

    /**
     * Signs in with a passkey: consumes the challenge the response answers, reads the passkey and its owner (the user
     * handle must name that owner), verifies the response, records the new counter (a racing sign-in with the same
     * response loses) and starts a session. Any failure is the same 401.
     */
    public SignedIn signIn(String responseJson, String userAgent) {
        Assertion assertion = relyingParty.parseAssertion(responseJson);
        if (!looksLikeCredentialId(assertion.credentialId()) || !isUserId(assertion.userHandle())) {
            throw failed(null, "malformed");
        }
        Instant now = clock.instant();
        if (!RandomTokens.looksLikeToken(assertion.challenge())
                || !challenges.consumeForSignIn(RandomTokens.hash(assertion.challenge()), now)) {
            throw failed(null, "challenge");
        }
        PasskeyWithOwner found = passkeys.findWithOwner(assertion.credentialId(), assertion.userHandle())
                .orElseThrow(() -> failed(null, "unknown_passkey"));
        PasskeyRecord passkey = found.passkey();
        String userId = passkey.ownerId();
        VerifiedAssertion verified;
        try {
            verified = relyingParty.verifyAssertion(assertion, passkey);
        } catch (CounterWentBackwards e) {
            events.passkeyCounterWentBackwards(userId, passkey.passkeyId());
            throw new PasskeySignInFailedException();
        } catch (PasskeySignInFailedException e) {
            throw failed(userId, "not_verified");
        }
        if (verified.backupEligible() != passkey.backupEligible()) {
            throw failed(userId, "backup_eligibility_changed");
        }
        if (found.owner().user().disabled()) {
            events.loginRefusedDisabled(userId);
            throw new PasskeySignInFailedException();
        }
        if (!passkeys.recordUse(passkey, verified.signCount(), verified.backedUp(), now)) {
            throw failed(userId, "raced");
        }
        List<String> amr = passkey.backupEligible() ? SYNCED_AMR : DEVICE_BOUND_AMR;
        SignedIn signedIn = sessions.start(found.owner(), userAgent, amr)
                .orElseThrow(() -> failed(userId, "raced"));
        events.passkeySignedIn(userId, passkey.passkeyId());
        return signedIn;
    }

    private PasskeySignInFailedException failed(String userId, String reason) {
        events.passkeySignInFailed(userId, reason);
        return new PasskeySignInFailedException();
    }

    private StoredUser signedIn(String userId) {
        return users.find(userId).orElseThrow(NotSignedInException::new);
    }

    private static String nickname(String raw) {
        if (raw == null) {
            return DEFAULT_NICKNAME;
        }
        String nickname = raw.strip();
        if (nickname.isEmpty() || nickname.codePointCount(0, nickname.length()) > MAX_NICKNAME_LENGTH
                || nickname.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("nickname",
                    "Give a nickname of 1-" + MAX_NICKNAME_LENGTH + " characters, without control characters.");
        }
        return nickname;
    }

    /** A credential id as the API spells it: canonical base64url of 16 to 1023 bytes (WebAuthn's bounds). */
    private static boolean looksLikeCredentialId(String value) {
        return value != null && value.length() >= 22 && value.length() <= 1364 && RandomTokens.isCanonicalBase64Url(value);
    }

    private static boolean isUserId(String value) {
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Passkey view(PasskeyRecord passkey) {
        return new Passkey(passkey.passkeyId(), passkey.nickname(), passkey.createdAt(), passkey.lastUsedAt(),
                passkey.backedUp(), passkey.transports());
    }
}
