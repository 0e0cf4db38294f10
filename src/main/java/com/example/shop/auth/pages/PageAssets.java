package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * The pages' scripts and their one style sheet, loaded from their own origin (CSP forbids anything inline):
 * {@code pages.js} for the pages the emails link to, {@code passkeys.js} for the passkey page.
 */
@Path("/pages")
public class PageAssets {

    private static final String SCRIPT = Pages.read("pages.js");
    private static final String PASSKEYS_SCRIPT = Pages.read("passkeys.js");
    private static final String STYLE = Pages.read("pages.css");

    @GET
    @Path("pages.js")
    public Response script() {
        return Pages.respond(SCRIPT, Pages.JAVASCRIPT);
    }

    @GET
    @Path("passkeys.js")
    public Response passkeysScript() {
        return Pages.respond(PASSKEYS_SCRIPT, Pages.JAVASCRIPT);
    }

    @GET
    @Path("pages.css")
    public Response style() {
        return Pages.respond(STYLE, Pages.CSS);
    }
}
