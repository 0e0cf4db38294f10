package com.example.shop.auth.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.example.shop.auth.BusyException;
import com.example.shop.auth.account.AccountDisabledException;
import com.example.shop.auth.account.AccountLockedException;
import com.example.shop.auth.admin.AccountDisabledForResetException;
import com.example.shop.auth.admin.UnknownUserException;
import com.example.shop.auth.account.EmailNotVerifiedException;
import com.example.shop.auth.account.InvalidEmailChangeTokenException;
import com.example.shop.auth.account.InvalidVerificationTokenException;
import com.example.shop.auth.account.NewEmailTakenException;
import com.example.shop.auth.account.WrongPasswordException;
import com.example.shop.auth.account.WrongCodeException;
import com.example.shop.auth.account.TotpStateException;
import com.example.shop.auth.account.InvalidSecondFactorException;
import com.example.shop.auth.account.EmailTakenException;
import com.example.shop.auth.account.InvalidCredentialsException;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.account.InvalidResetTokenException;
import com.example.shop.auth.account.TooManyRequestsException;
import com.example.shop.auth.passkey.PasskeyAlreadyRegisteredException;
import com.example.shop.auth.passkey.PasskeyNotVerifiedException;
import com.example.shop.auth.passkey.PasskeySignInFailedException;
import com.example.shop.auth.passkey.TooManyPasskeysException;
import com.example.shop.auth.passkey.UnknownPasskeyException;
import com.example.shop.auth.session.InvalidRefreshTokenException;
import com.example.shop.auth.session.NotSignedInException;
import com.example.shop.auth.session.SessionNotFoundException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Turns every failure into an RFC 9457 problem. Details never echo request content or exception messages, so no
 * password or token can leak through an error, and no stack trace is ever sent or logged.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Seconds a client should wait after a 503 caused by a dependency outage or throttling. */
    static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 2;
    /** Cancellation reasons of a transaction that may well go through if sent again a little later. */
    private static final Set<String> TRANSIENT_CANCELLATIONS = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded");

    @ServerExceptionMapper
    public Response busy(BusyException e) {
        LOG.warnf("Contention on the table: %s", e.getMessage());
        return unavailable();
    }

    @ServerExceptionMapper
    public Response accountDisabled(AccountDisabledException e) {
        return problem(Problem.of("account-disabled", "Account disabled", 403,
                "This account has been disabled. Contact the shop's support.")).build();
    }

    @ServerExceptionMapper
    public Response adminCallerRequired(AdminCallerRequiredException e) {
        return problem(Problem.of("admin-caller-required", "IAM caller required", 403,
                "The admin API takes only requests signed by an AWS principal (SigV4) through API Gateway.")).build();
    }

    @ServerExceptionMapper
    public Response passkeyNotVerified(PasskeyNotVerifiedException e) {
        return problem(Problem.of("invalid-passkey", "Passkey not verified", 400,
                "The passkey could not be verified, or its options were used or expired. Ask for new options and "
                        + "create the passkey again.")).build();
    }

    @ServerExceptionMapper
    public Response passkeySignInFailed(PasskeySignInFailedException e) {
        return problem(Problem.of("passkey-sign-in-failed", "Passkey sign-in failed", 401,
                "The passkey could not sign you in. Ask for new options and try again, or use your password."))
                .build();
    }

    @ServerExceptionMapper
    public Response unknownPasskey(UnknownPasskeyException e) {
        return problem(Problem.of("unknown-passkey", "Unknown passkey", 404, "The account has no passkey with this id."))
                .build();
    }

    @ServerExceptionMapper
    public Response tooManyPasskeys(TooManyPasskeysException e) {
        return problem(Problem.of("too-many-passkeys", "Too many passkeys", 409,
                "The account has as many passkeys as allowed. Delete one before adding another.")).build();
    }

    @ServerExceptionMapper
    public Response passkeyAlreadyRegistered(PasskeyAlreadyRegisteredException e) {
        return problem(Problem.of("passkey-already-registered", "Passkey already registered", 409,
                "This passkey is registered already.")).build();
    }

    @ServerExceptionMapper
    public Response unknownUser(UnknownUserException e) {
        return problem(Problem.of("unknown-user", "Unknown user", 404, "No account has this id.")).build();
    }

    @ServerExceptionMapper
    public Response disabledForReset(AccountDisabledForResetException e) {
        return problem(Problem.of("account-disabled", "Account disabled", 409,
                "The account is disabled: enable it before sending a reset email.")).build();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return problem(Problem.invalidInput("The request has invalid fields.", e.errors())).build();
    }

    @ServerExceptionMapper
    public Response emailTaken(EmailTakenException e) {
        return problem(Problem.of("email-taken", "Email already registered", 409,
                "An account with this email already exists. Log in or reset the password instead.")).build();
    }

    @ServerExceptionMapper
    public Response invalidCredentials(InvalidCredentialsException e) {
        return problem(Problem.of("invalid-credentials", "Invalid credentials", 401,
                "The email or password is incorrect.")).build();
    }

    @ServerExceptionMapper
    public Response locked(AccountLockedException e) {
        return problem(Problem.of("account-locked", "Too many failed logins", 429,
                "Too many failed logins. Try again later or reset the password."))
                .header("Retry-After", seconds(e.retryAfter()))
                .build();
    }

    /** A source IP spent a budget: one body whatever the request's email, so it tells nothing about accounts. */
    @ServerExceptionMapper
    public Response tooManyRequests(TooManyRequestsException e) {
        return problem(Problem.of("too-many-requests", "Too many requests", 429,
                "Too many requests from your network. Try again later."))
                .header("Retry-After", seconds(e.retryAfter()))
                .build();
    }

    @ServerExceptionMapper
    public Response invalidResetToken(InvalidResetTokenException e) {
        return problem(Problem.of("invalid-reset-token", "Invalid reset token", 400,
                "The reset link is invalid, already used or expired. Ask for a new one.")).build();
    }

    @ServerExceptionMapper
    public Response invalidRefreshToken(InvalidRefreshTokenException e) {
        return problem(Problem.of("invalid-refresh-token", "Invalid refresh token", 401,
                "The refresh token is invalid, expired or revoked. Log in again.")).build();
    }

    @ServerExceptionMapper
    public Response notSignedIn(NotSignedInException e) {
        // one challenge with or without a token (docs/api.md), though RFC 6750 §3.1 would omit the error code
        // when none was sent: clients need only one rule
        return problem(Problem.of("unauthorized", "Unauthorized", 401,
                "This route needs the access token of a live session: refresh it or log in again."))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .build();
    }

    @ServerExceptionMapper
    public Response wrongCode(WrongCodeException e) {
        return problem(Problem.of("wrong-code", "Wrong code", 403,
                "The authenticator code or recovery code is incorrect or was used already.")).build();
    }

    @ServerExceptionMapper
    public Response totpState(TotpStateException e) {
        return problem(Problem.of("totp-state", "Not possible now", 409, e.detail())).build();
    }

    @ServerExceptionMapper
    public Response invalidSecondFactor(InvalidSecondFactorException e) {
        return problem(Problem.of("invalid-second-factor", "Invalid second factor", 401,
                "The code is incorrect, or the sign-in expired. Log in again if it keeps failing.")).build();
    }

    @ServerExceptionMapper
    public Response wrongPassword(WrongPasswordException e) {
        return problem(Problem.of("wrong-password", "Wrong password", 403, "The current password is incorrect."))
                .build();
    }

    @ServerExceptionMapper
    public Response emailNotVerified(EmailNotVerifiedException e) {
        return problem(Problem.of("email-not-verified", "Email not verified", 403,
                "Confirm your email address first: we have just sent you a new link.")).build();
    }

    @ServerExceptionMapper
    public Response invalidVerificationToken(InvalidVerificationTokenException e) {
        return problem(Problem.of("invalid-verification-token", "Invalid verification link", 400,
                "The verification link is invalid, already used or expired. Ask for a new one.")).build();
    }

    @ServerExceptionMapper
    public Response invalidEmailChangeToken(InvalidEmailChangeTokenException e) {
        return problem(Problem.of("invalid-email-change-token", "Invalid email-change link", 400,
                "The email-change link is invalid, already used or expired. Ask for the change again.")).build();
    }

    @ServerExceptionMapper
    public Response newEmailTaken(NewEmailTakenException e) {
        return problem(Problem.of("email-taken", "Email already registered", 409,
                "Another account registered this email address meanwhile, so it cannot become yours. "
                        + "Ask for the change again with another address.")).build();
    }

    @ServerExceptionMapper
    public Response sessionNotFound(SessionNotFoundException e) {
        return problem(Problem.of("session-not-found", "No such session", 404,
                "You have no live session with this id.")).build();
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(BodySizeLimit.BodyTooLargeException e) {
        return problem(Problem.http(413, "Content Too Large",
                "The request body must be at most " + BodySizeLimit.MAX_BYTES + " bytes.")).build();
    }

    @ServerExceptionMapper
    public Response malformedUtf8(BodySizeLimit.MalformedUtf8Exception e) {
        return problem(Problem.of("malformed-body", "Malformed request body", 400,
                "The request body must be valid UTF-8.")).build();
    }

    /** Declared for its own type so that it replaces quarkus-rest-jackson's built-in mapper of it. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String detail = "The request body is not valid JSON.";
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            detail = field == null ? "The request body has a value of the wrong type."
                    : "Field '" + field + "' has the wrong type; expected a string.";
        } else if (e instanceof MismatchedInputException || e instanceof InvalidFormatException) {
            detail = "The request body must be a JSON object.";
        }
        return problem(Problem.of("malformed-body", "Malformed request body", 400, detail)).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json); // quarkus-rest-jackson wraps parse errors in a plain 400
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        // Quarkus REST sends its 405 without Allow, and a 404 instead of a 405 when the path is a resource class's
        // that it tried before another (DELETE-only /me/sessions/{id} before /me/sessions): both are a 405 with Allow
        Optional<String> allowed = status == 404 || status == 405 ? AllowedMethods.ifMethodNotAllowed()
                : Optional.empty();
        String title = original.getStatusInfo().getReasonPhrase();
        if (allowed.isPresent()) {
            status = 405;
            title = Response.Status.METHOD_NOT_ALLOWED.getReasonPhrase();
        }
        Response.ResponseBuilder builder = problem(Problem.http(status, title, httpDetail(status)));
        allowed.ifPresent(methods -> builder.header("Allow", methods));
        return builder.build();
    }

    @ServerExceptionMapper
    public Response aws(SdkException e) {
        if (isUnavailable(e)) {
            LOG.warnf("A dependency is unavailable, throttling or contended: %s%s", e.getClass().getSimpleName(),
                    serviceDetail(e));
            return unavailable();
        }
        return unexpected(e);
    }

    /**
     * A 500 whose body carries a random error id, logged with the failure, so a report quoting the id finds the log
     * line; nothing of the exception (its message may hold request content) reaches the client.
     */
    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        StackTraceElement origin = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.errorf("Unexpected %s%s at %s [errorId=%s]", e.getClass().getName(), serviceDetail(e), origin, errorId);
        return problem(Problem.of("internal-error", "Internal error", 500,
                "Something went wrong on our side. Try again later, quoting the error id if it persists.")
                .withErrorId(errorId)).build();
    }

    /**
     * True where the same request may well succeed shortly: the dependency could not be reached or timed out,
     * throttled, failed on its side (5xx), or the write lost a race with a transaction on the same item
     * (TransactionConflictException after the SDK's retries; a transaction cancelled for TransactionConflict or
     * throttling only, after the store's). Never for a request DynamoDB rejected as invalid (ValidationException, a
     * cancellation reason ValidationError...): retrying that cannot help, so it is a 500.
     */
    private static boolean isUnavailable(SdkException e) {
        if (e instanceof SdkClientException || e instanceof TransactionConflictException) {
            return true;
        }
        if (e instanceof TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons()
                    : List.of();
            return reasons.stream().anyMatch(r -> TRANSIENT_CANCELLATIONS.contains(r.code()))
                    && reasons.stream().allMatch(r -> r.code() == null || "None".equalsIgnoreCase(r.code())
                            || TRANSIENT_CANCELLATIONS.contains(r.code()));
        }
        return e instanceof AwsServiceException s && (s.isThrottlingException() || s.statusCode() >= 500);
    }

    /**
     * For the log, what the service said beyond the exception's class: its error code where the class does not name
     * it (a ValidationException is a plain DynamoDbException), and a cancelled transaction's reason codes. Codes
     * only: never a message, item or key, which may hold request content.
     */
    private static String serviceDetail(Throwable e) {
        String detail = "";
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
                && !e.getClass().getSimpleName().equals(s.awsErrorDetails().errorCode())) {
            detail += " " + s.awsErrorDetails().errorCode();
        }
        if (e instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
            detail += " " + cancelled.cancellationReasons().stream().map(CancellationReason::code).toList();
        }
        return detail;
    }

    /** A 503 that tells the client to try again shortly: nothing was written. */
    private static Response unavailable() {
        return problem(Problem.of("service-unavailable", "Service unavailable", 503,
                "The service is busy or briefly unavailable. Try again shortly."))
                .header("Retry-After", UNAVAILABLE_RETRY_AFTER_SECONDS)
                .build();
    }

    private static String httpDetail(int status) {
        return switch (status) {
            case 404 -> "There is no such route.";
            case 405 -> "This route does not accept that method.";
            case 406 -> "This route answers only application/json.";
            case 415 -> "Send the request body as application/json.";
            default -> "The request cannot be processed.";
        };
    }

    static long seconds(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    private static Response.ResponseBuilder problem(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .header("Cache-Control", "no-store")
                .entity(problem);
    }
}
