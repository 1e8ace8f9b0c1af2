import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { AuthGuard } from './auth.guard.js';

@Module({
  providers: [ApiKeyAuthenticator, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeyAuthenticator],
})
export class AuthModule {}
