/**
 * How Cloud Run judges a PostgREST instance. Pure. Cloud Run sends an instance requests only once its startup probe
 * passes, and a new revision serves only when its instances do; a failing liveness probe restarts the container
 * (https://cloud.google.com/run/docs/configuring/healthchecks). So the startup probe asks /ready (connected, schema cache
 * loaded) and the liveness probe /live (the process serves): a database outage after startup restarts nothing, and
 * PostgREST reconnects by itself (PostgREST docs/references/connection_pool.rst, Automatic Recovery).
 */
import { HEALTH_PORT, LIVE_PATH, READY_PATH, healthCheckProblem } from "../postgrest/health";

/** An HTTP probe of a Cloud Run v2 container (ServiceTemplateContainer startupProbe, livenessProbe). */
export interface HttpProbe {
    httpGet: { path: string; port: number };
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

export interface CloudRunProbes {
    startupProbe: HttpProbe;
    livenessProbe: HttpProbe;
}

/** The probes of a PostgREST `major` container. */
export function cloudRunProbes(major: number): CloudRunProbes {
    const problem = healthCheckProblem(major);
    if (problem) throw new Error(`service.image ${problem}`);
    return {
        // Direct VPC egress can delay the first connection by a minute or more (Cloud Run docs), hence 2 minutes.
        startupProbe: { httpGet: { path: READY_PATH, port: HEALTH_PORT }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 },
        livenessProbe: { httpGet: { path: LIVE_PATH, port: HEALTH_PORT }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
    };
}
