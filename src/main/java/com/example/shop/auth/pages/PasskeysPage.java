package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /passkeys}: the service's own page to sign in with a password (and a second factor), add, list and
 * delete passkeys, sign out, and sign in with a passkey; served by the login function. Its script,
 * {@code /pages/passkeys.js}, calls the same JSON routes a shop's front end would.
 */
@Path("/passkeys")
public class PasskeysPage {

    private static final String HTML = Pages.read("passkeys.html");

    @GET
    public Response page() {
        return Pages.respond(HTML, Pages.HTML);
    }
}
