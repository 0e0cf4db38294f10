package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;

class PasswordHasherTest {

    @Test
    void theDummyHashIsAWellFormedHashOfTheConfiguredCostThatMatchesNothing() throws Exception {
        String dummy = PasswordHasher.dummyHash(12);

        BCryptPassword decoded = (BCryptPassword) ModularCrypt.decode(dummy);
        assertEquals(12, decoded.getIterationCount(), "verifying against it costs 2^12 rounds");
        assertFalse(BcryptUtil.matches("", dummy));
        assertFalse(BcryptUtil.matches("correct horse battery staple", dummy));
    }
}
