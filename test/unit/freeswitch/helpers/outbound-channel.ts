import { connect, type Socket } from 'node:net';

/** One application a scripted channel was asked to run. */
export interface Execution {
  readonly app: string;
  readonly arg: string;
}

/**
 * A scripted FreeSWITCH channel on the outbound event socket (what the dialplan's `socket`
 * application opens): answers `connect` with the channel data, acknowledges commands, and
 * reports every executed application complete — except `conference`, which runs until the
 * member leaves. It checks fsmrf's and modesl's use of the wire format, not FreeSWITCH.
 */
export function scriptedChannel(target: { host: string; port: number }, channel: { uuid: string; userAgent: string; localSdp: string }): {
  readonly executions: Execution[];
  readonly socket: Socket;
  /** Sends an event about this channel (DTMF, CHANNEL_CALLSTATE …). */
  emit(headers: Record<string, string>): void;
} {
  const executions: Execution[] = [];
  const socket = connect(target.port, target.host);
  socket.on('error', () => undefined);
  const reply = (text = '+OK'): void => {
    socket.write(`Content-Type: command/reply\nReply-Text: ${text}\n\n`);
  };
  const event = (headers: Record<string, string>): void => {
    const body = JSON.stringify(headers);
    socket.write(`Content-Type: text/event-json\nContent-Length: ${String(Buffer.byteLength(body))}\n\n${body}`);
  };
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const [first = '', ...lines] = block.split('\n');
      const headers = Object.fromEntries(
        lines.map((l) => {
          const i = l.indexOf(': ');
          return [l.slice(0, i), l.slice(i + 2)] as const;
        }),
      );
      if (first === 'connect') {
        const data: Record<string, string> = {
          'Event-Name': 'CHANNEL_DATA',
          'Unique-ID': channel.uuid,
          'Channel-Unique-ID': channel.uuid,
          variable_sip_user_agent: channel.userAgent,
          variable_rtp_local_sdp_str: channel.localSdp,
          variable_switch_r_sdp: '',
          variable_sip_call_id: `fs-${channel.uuid}`,
        };
        const text = Object.entries(data)
          .map(([k, v]) => `${k}: ${encodeURIComponent(v)}`)
          .join('\n');
        socket.write(`Content-Type: command/reply\nReply-Text: +OK\n${text}\n\n`);
      } else if (first.startsWith('api ')) {
        // Channel-scoped API calls fsmrf makes (uuid_dump after a re-INVITE, media stats).
        const body = first.startsWith('api uuid_dump')
          ? `Unique-ID: ${channel.uuid}\nvariable_rtp_local_sdp_str: ${encodeURIComponent(channel.localSdp)}\n`
          : '+OK\n';
        socket.write(`Content-Type: api/response\nContent-Length: ${String(Buffer.byteLength(body))}\n\n${body}`);
      } else if (first.startsWith('sendmsg')) {
        reply();
        const app = headers['execute-app-name'] ?? '';
        const arg = headers['execute-app-arg'] ?? '';
        executions.push({ app, arg });
        if (app !== 'conference') {
          event({
            'Event-Name': 'CHANNEL_EXECUTE_COMPLETE',
            'Unique-ID': channel.uuid,
            Application: app,
            'Application-Data': arg,
            'Application-UUID': headers['Event-UUID'] ?? '',
            'Application-Response': '_none_',
          });
        }
      } else {
        reply();
      }
    }
  });
  return { executions, socket, emit: (headers) => { event({ 'Unique-ID': channel.uuid, ...headers }); } };
}
