package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /verify-email?token=…}: a button that confirms the address; served by the signup function. */
@Path("/verify-email")
public class VerifyEmailPage {

    private static final String HTML = Pages.read("verify-email.html");

    @GET
    public Response page() {
        return Pages.respond(HTML, Pages.HTML);
    }
}
