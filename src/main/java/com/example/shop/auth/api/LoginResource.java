package com.example.shop.auth.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.account.FieldError;
import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.account.LoginService;
import com.example.shop.auth.api.ApiModels.LoginRequest;
import com.example.shop.auth.api.ApiModels.LoginResponse;
import com.example.shop.auth.token.AccessTokens.IssuedToken;
import com.example.shop.auth.token.SigningKey;

@Path("/")
public class LoginResource {

    private final LoginService login;
    private final SigningKey signingKey;
    private final AuthConfig.Jwt jwtConfig;

    public LoginResource(LoginService login, SigningKey signingKey, AuthConfig config) {
        this.login = login;
        this.signingKey = signingKey;
        this.jwtConfig = config.jwt();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public LoginResponse logIn(LoginRequest request) {
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
        IssuedToken token = login.logIn(request.email(), request.password());
        return new LoginResponse(token.value(), "Bearer", token.expiresInSeconds());
    }

    @GET
    @Path(".well-known/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=3600")
    public Map<String, Object> jwks() {
        return signingKey.jwks();
    }

    /** The minimal OpenID discovery document that JWT verifiers such as API Gateway's authorizer need. */
    @GET
    @Path(".well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=3600")
    public Map<String, Object> openIdConfiguration() {
        String issuer = jwtConfig.issuer();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", jwtConfig.jwksUri().orElse(withoutTrailingSlash(issuer) + "/.well-known/jwks.json"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("subject_types_supported", List.of("public"));
        document.put("response_types_supported", List.of("token"));
        return document;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
