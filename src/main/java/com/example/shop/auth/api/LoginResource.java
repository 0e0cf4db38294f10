package com.example.shop.auth.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.account.FieldError;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.account.LoginService;
import com.example.shop.auth.api.ApiModels.LoginRequest;
import com.example.shop.auth.api.ApiModels.LoginResponse;
import com.example.shop.auth.api.ApiModels.MfaChallenge;
import com.example.shop.auth.api.ApiModels.MfaLoginRequest;

@Path("/login")
public class LoginResource {

    private final LoginService login;
    private final SourceAddress source;

    public LoginResource(LoginService login, SourceAddress source) {
        this.login = login;
        this.source = source;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public Object logIn(LoginRequest request, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        RequestBodies.require(request);
        List<FieldError> missing = new ArrayList<>();
        if (request.email() == null || request.email().isBlank()) {
            missing.add(new FieldError("email", "Email is required."));
        }
        if (request.password() == null || request.password().isEmpty()) {
            missing.add(new FieldError("password", "Password is required."));
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
        var outcome = login.logIn(request.email(), request.password(), request.deviceToken(), userAgent, source.ip());
        if (outcome instanceof LoginService.SecondFactorNeeded needed) {
            return new MfaChallenge(true, needed.mfaToken(), needed.expiresInSeconds());
        }
        var loggedIn = (LoginService.LoggedIn) outcome;
        return LoginResponse.of(loggedIn.signedIn(), loggedIn.deviceToken());
    }

    /** The second step of a sign-in with TOTP on: the mfa token and a code (or a recovery code) get the tokens. */
    @POST
    @Path("mfa")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public LoginResponse completeSecondFactor(MfaLoginRequest request,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        RequestBodies.require(request);
        RequestBodies.requireFields("mfaToken", request.mfaToken());
        RequestBodies.requireCodeOrRecoveryCode(request.code(), request.recoveryCode());
        var loggedIn = login.completeSecondFactor(request.mfaToken(), request.code(), request.recoveryCode(),
                userAgent, source.ip());
        return LoginResponse.of(loggedIn.signedIn(), loggedIn.deviceToken());
    }
}
