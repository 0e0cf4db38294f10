package com.example.shop.auth.account;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.session.SessionService;
import com.example.shop.auth.session.SessionService.SignedIn;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;

/** Checks email and password (with the lockout of {@link PasswordCheck}) and starts a session. */
@ApplicationScoped
public class LoginService {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordCheck passwordCheck;
    private final SessionService sessions;
    private final EmailVerificationService verification;
    private final boolean requireVerifiedEmail;
    private final AuthEvents events;

    public LoginService(UserStore users, PasswordHasher hasher, PasswordCheck passwordCheck, SessionService sessions,
            EmailVerificationService verification, AuthConfig config, AuthEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.passwordCheck = passwordCheck;
        this.sessions = sessions;
        this.verification = verification;
        this.requireVerifiedEmail = config.login().requireVerifiedEmail();
        this.events = events;
    }

    public SignedIn logIn(String rawEmail, String rawPassword, String userAgent) {
        String email = InputRules.normaliseEmail(rawEmail);
        String password = PasswordPolicy.normalise(rawPassword);
        Optional<StoredUser> found = email == null ? Optional.empty() : users.findByEmail(email);
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            events.loginFailed(null, email == null ? "" : email);
            throw new InvalidCredentialsException();
        }
        StoredUser user = found.get();
        if (!passwordCheck.verify(user, password)) {
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
        events.loggedIn(user.userId());
        return signedIn;
    }
}
