/**
 * The HTTP service around one loaded model (Jetty 12 core, no servlets): the routes, bodies read asynchronously under
 * a rate and a deadline, the process-wide memory budget, batching of concurrent requests, Prometheus metrics, and the
 * viewer page. Entry points: {@link org.saliency4j.server.SaliencyService} and
 * {@link org.saliency4j.server.ServiceOptions}. May import: the core's API (never {@code org.bytedeco}), Jetty,
 * Prometheus, Jackson, SLF4J's API; never the command line.
 */
package org.saliency4j.server;
