import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';

// Errors Fastify and Node's HTTP parser answer themselves, before any route (and so before Nest's
// exception filter) runs: they too must leave in Meilisearch's shape.

/** Fastify `frameworkErrors`: a URL with broken percent-encoding (FST_ERR_BAD_URL) and the like. */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const err =
    error.code === 'FST_ERR_BAD_URL'
      ? errors.badRequest('The request URL is not valid: a path segment has malformed percent-encoding.')
      : new MeiliError('bad_request', error.message, typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400);
  void reply.status(err.status).send(err.toBody());
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/**
 * Fastify `clientErrorHandler`: the HTTP parser rejected the request (headers or URL too large,
 * malformed request line, timeout). Answered on the raw socket, then the socket is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let status = 400;
  let message = 'The request could not be parsed as HTTP.';
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    message = 'The request line or headers are too large.';
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'The request took too long to arrive.';
  }
  const body = JSON.stringify(new MeiliError('bad_request', message, status).toBody());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
