package com.example.shop.auth.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    /**
     * Every key whose tokens we accept, the current (signing) key first. Cacheable for an hour; not at all while
     * a previous key is missing from it (KMS could not serve it), so that verifiers soon see it again.
     */
    @GET
    @Path("jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        SigningKey.JwkSet jwks = signingKey.jwkSet();
        return Response.ok(jwks.document())
                .header("Cache-Control", jwks.complete() ? "public, max-age=3600" : "no-store")
                .build();
    }

    /**
     * Where verifiers find the signing keys: only {@code issuer} and {@code jwks_uri}, which is what API Gateway's
     * JWT authorizer reads ({@code <issuer>/.well-known/openid-configuration}, then the keys at {@code jwks_uri}).
     * Nothing else is advertised because nothing else exists: login is a JSON API, not an OAuth or OpenID Connect
     * flow, so there is no authorization or token endpoint, no response type and no ID token.
     */
    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=3600")
    public Map<String, Object> openIdConfiguration() {
        String issuer = jwtConfig.issuer();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", jwtConfig.jwksUri().orElse(withoutTrailingSlash(issuer) + "/.well-known/jwks.json"));
        return document;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
