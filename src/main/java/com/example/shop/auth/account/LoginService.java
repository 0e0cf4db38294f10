package com.example.shop.auth.account;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.session.SessionService.SignedIn;
import com.example.shop.auth.store.DeviceRecord;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;

/**
 * Checks email and password (with the lockout of {@link PasswordCheck}) and starts a session. A source IP that spent
 * its budget of failed logins is refused first ({@link SourceIpBudgets}), unless the login presents a device token of
 * the account ({@link DeviceTokens}): the owner's devices keep working from an address an attacker shares.
 */
@ApplicationScoped
public class LoginService {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordCheck passwordCheck;
    private final SessionService sessions;
    private final EmailVerificationService verification;
    private final DeviceTokens devices;
    private final SourceIpBudgets ipBudgets;
    private final boolean requireVerifiedEmail;
    private final AuthEvents events;

    public LoginService(UserStore users, PasswordHasher hasher, PasswordCheck passwordCheck, SessionService sessions,
            EmailVerificationService verification, DeviceTokens devices, SourceIpBudgets ipBudgets, AuthConfig config,
            AuthEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.passwordCheck = passwordCheck;
        this.sessions = sessions;
        this.verification = verification;
        this.devices = devices;
        this.ipBudgets = ipBudgets;
        this.requireVerifiedEmail = config.login().requireVerifiedEmail();
        this.events = events;
    }

    /** A session, and the device token the client keeps for its next login (it replaces the one presented). */
    public record LoggedIn(SignedIn signedIn, String deviceToken) {
    }

    /**
     * @param presentedDeviceToken the device token the client kept from an earlier login, or null; one that is not
     *        a live token of this account (forged, expired, another user's) counts as none
     * @param sourceIp the caller's IP as API Gateway saw it, if known
     */
    public LoggedIn logIn(String rawEmail, String rawPassword, String presentedDeviceToken, String userAgent,
            Optional<String> sourceIp) {
        String email = InputRules.normaliseEmail(rawEmail);
        String password = PasswordPolicy.normalise(rawPassword);
        Optional<StoredUser> found = email == null ? Optional.empty() : users.findByEmail(email);
        // among this user's own devices, in the item just read: no extra read, known email or not
        Optional<DeviceRecord> trusted = found.flatMap(user -> devices.find(user, presentedDeviceToken));
        if (trusted.isEmpty()) {
            ipBudgets.checkLoginFailures(sourceIp);
        }
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            users.spendAFailedLoginsWork(); // what a wrong password costs a real account: nothing tells them apart
            events.loginFailed(null, email == null ? "" : email);
            ipBudgets.countLoginFailure(sourceIp);
            throw new InvalidCredentialsException();
        }
        StoredUser user = found.get();
        boolean verified = trusted.isPresent() ? passwordCheck.verify(user, password, trusted.get())
                : passwordCheck.verify(user, password);
        if (!verified) {
            ipBudgets.countLoginFailure(sourceIp);
            throw new InvalidCredentialsException();
        }
        if (user.user().disabled()) {
            events.loginRefusedDisabled(user.userId());
            throw new AccountDisabledException();
        }
        if (requireVerifiedEmail && !user.user().emailVerified()) {
            verification.sendLink(user);
            events.loginRefusedUnverified(user.userId());
            throw new EmailNotVerifiedException();
        }
        // empty when a password reset or the account's deletion completed between the check and the session's start
        SignedIn signedIn = sessions.start(user, userAgent).orElseThrow(InvalidCredentialsException::new);
        if (hasher.needsRehash(user.passwordHash())) {
            // an imported hash or a cost raised since: store the password at today's cost, unless it changed meanwhile
            users.rehash(user, hasher.hash(password));
        }
        String deviceToken = devices.issue(user, trusted).orElseThrow(InvalidCredentialsException::new);
        if (trusted.isPresent()) {
            events.loggedInFromTrustedDevice(user.userId());
        } else {
            events.loggedIn(user.userId());
        }
        return new LoggedIn(signedIn, deviceToken);
    }
}
