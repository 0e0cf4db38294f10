package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import com.example.shop.auth.account.TotpService;
import com.example.shop.auth.api.ApiModels.RecoveryCodeList;
import com.example.shop.auth.api.ApiModels.RecoveryCodesRequest;

/** Ten new recovery codes for the signed-in user (password and a current code); the old ones stop working. */
@Path("/me/mfa/recovery-codes")
@SignedIn
public class MyRecoveryCodesResource {

    private final TotpService totp;
    private final CurrentSession current;

    public MyRecoveryCodesResource(TotpService totp, CurrentSession current) {
        this.totp = totp;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RecoveryCodeList regenerate(RecoveryCodesRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password(), "code", request.code());
        return new RecoveryCodeList(totp.regenerateRecoveryCodes(current.userId(), request.password(),
                request.code()));
    }
}
