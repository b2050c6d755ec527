import { Module } from '@nestjs/common';
import { AlertBus } from './alert-bus.service.js';
import { MonitorAlertsResolver } from './monitor-alerts.resolver.js';

/** Live alerts for monitors over GraphQL subscriptions (graphql-ws), ADR 0015. */
@Module({ providers: [AlertBus, MonitorAlertsResolver], exports: [AlertBus] })
export class AlertsModule {}
