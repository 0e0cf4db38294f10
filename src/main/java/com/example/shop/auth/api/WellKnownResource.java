package com.example.shop.auth.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.AuthConfig;
import com.example.shop.auth.token.SigningKey;

/** What token verifiers fetch: the public signing key, and the discovery document that points at it. */
@Path("/.well-known")
public class WellKnownResource {

    private final SigningKey signingKey;
    private final AuthConfig.Jwt jwtConfig;

    public WellKnownResource(SigningKey signingKey, AuthConfig config) {
        this.signingKey = signingKey;
        this.jwtConfig = config.jwt();
    }

    @GET
    @Path("jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=3600")
    public Map<String, Object> jwks() {
        return signingKey.jwks();
    }

    /** The minimal OpenID discovery document that JWT verifiers such as API Gateway's authorizer need. */
    @GET
    @Path("openid-configuration")
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
