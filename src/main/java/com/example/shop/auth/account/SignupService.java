package com.example.shop.auth.account;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.EmailAlreadyClaimedException;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.user.User;

@ApplicationScoped
public class SignupService {

    private final UserStore store;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final EmailVerificationService verification;
    private final AuthEvents events;

    public SignupService(UserStore store, PasswordPolicy policy, PasswordHasher hasher, Clock clock,
            EmailVerificationService verification, AuthEvents events) {
        this.verification = verification;
        this.store = store;
        this.policy = policy;
        this.hasher = hasher;
        this.clock = clock;
        this.events = events;
    }

    public User signUp(String rawEmail, String rawPassword, String rawName) {
        List<FieldError> errors = new ArrayList<>();
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            errors.add(new FieldError("email", InputRules.emailProblem(rawEmail)));
        }
        String password = rawPassword == null ? null : PasswordPolicy.normalise(rawPassword);
        String passwordProblem = policy.problem(password, email);
        if (passwordProblem != null) {
            errors.add(new FieldError("password", passwordProblem));
        }
        String name = InputRules.normaliseName(rawName);
        if (name == null) {
            errors.add(new FieldError("name", InputRules.nameProblem(rawName)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }

        StoredUser user;
        try {
            user = store.create(UUID.randomUUID().toString(), email, hasher.hash(password), name, clock.instant());
        } catch (EmailAlreadyClaimedException e) {
            throw new EmailTakenException();
        }
        events.signedUp(user.userId());
        verification.sendLink(user); // not sent (SES down): the user can ask again with POST /email-verification
        return user.user();
    }
}
