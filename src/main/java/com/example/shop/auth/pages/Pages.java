package com.example.shop.auth.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.Response;

/**
 * The pages that the reset and verification emails link to, and the passkey page. A linked page only reads the token
 * from its address; the token is sent (and so consumed) only when the user submits the form or presses the button,
 * never on GET, because mail scanners open links. Every page and asset answer carries strict security headers: no
 * inline script or style, nothing from another origin, no referrer, no caching, no framing.
 */
final class Pages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    static final String HTML = "text/html; charset=utf-8";
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";

    private Pages() {
    }

    static Response respond(String body, String contentType) {
        return Response.ok(body)
                .header("Content-Type", contentType)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .build();
    }

    /** A file of src/main/resources/pages/ (listed in quarkus.native.resources.includes for native builds). */
    static String read(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource pages/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
