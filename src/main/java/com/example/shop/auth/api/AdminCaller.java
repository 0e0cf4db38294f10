package com.example.shop.auth.api;

import jakarta.enterprise.context.RequestScoped;

/** The operator of an admin request: the IAM principal's ARN; set by {@link AdminCallerFilter}. */
@RequestScoped
public class AdminCaller {

    private String arn;

    void set(String arn) {
        this.arn = arn;
    }

    public String arn() {
        if (arn == null) {
            throw new IllegalStateException("no admin caller: the resource lacks @AdminOnly");
        }
        return arn;
    }
}
