package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /confirm-email-change?token=…}: a button that moves the account to the new address; served by the
 * account function.
 */
@Path("/confirm-email-change")
public class ConfirmEmailChangePage {

    private static final String HTML = Pages.read("confirm-email-change.html");

    @GET
    public Response page() {
        return Pages.respond(HTML, Pages.HTML);
    }
}
