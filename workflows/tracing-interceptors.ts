// The workflow interceptors bundled when tracing is on (services/observability/tracing.ts): the
// SDK's OpenTelemetry ones, and one that lets an Update's trace carry on into what follows it.
import { context, type Context } from '@opentelemetry/api';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptors } from '@temporalio/workflow';

export const interceptors = (): WorkflowInterceptors => {
  // A budget change's approval click arrives as an Update, but the write it causes is scheduled by
  // the workflow's main coroutine, which still runs in the trace that started the run. The activities
  // scheduled after an Update belong to that Update's trace: click to Meta write is one trace.
  // Headers are not part of a history's determinism, so replays are unaffected.
  let updateContext: Context | undefined;
  return {
    // The SDK's interceptor first (outermost): ours then sees the Update's span as the active one.
    inbound: [
      new OpenTelemetryInboundInterceptor(),
      {
        handleUpdate(input, next) {
          updateContext = context.active();
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity(input, next) {
          return updateContext ? context.with(updateContext, () => next(input)) : next(input);
        },
      },
      new OpenTelemetryOutboundInterceptor(),
    ],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
