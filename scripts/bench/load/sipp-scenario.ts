/**
 * The load callers' sipp scenario, generated so that its timeouts follow the run: INVITE with
 * a PCMU + telephone-event offer on the port of this call's RTP socket (injection field 0)
 * from a number of its own (field 1, so PIN lockout counts stay apart); a refusal is ACKed
 * and logged by status; an answered call waits for the server's BYE (the bench ends every
 * conference through the API) or, past `holdMs`, hangs up itself. Every outcome is one line
 * of sipp's action log, which the bench counts.
 */

/** What the scenario's lines are logged as. */
export const SIPP_OUTCOMES = ['answered', 'refused503', 'refusedOther', 'endedByServer', 'hungUp'] as const;

const REFUSALS_OTHER = [403, 404, 408, 480, 486, 488, 500, 600, 603] as const;

function ack(via: string): string {
  return `  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      ${via}
      From: <sip:[field1]@[local_ip]:[local_port]>;tag=[pid]L[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>`;
}

function log(outcome: (typeof SIPP_OUTCOMES)[number]): string {
  return `  <nop><action><log message="${outcome} [call_number]"/></action></nop>`;
}

/** The scenario XML; an answered call is held at most `holdMs`. */
export function loadScenario(holdMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="dialbridge load caller">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field1]@[local_ip]:[local_port]>;tag=[pid]L[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[field1]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- 1 1 IN IP4 [media_ip]
      s=-
      c=IN IP4 [media_ip]
      t=0 0
      m=audio [field0] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
      a=sendrecv
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="503" optional="true" next="refused503"/>
${REFUSALS_OTHER.map((code) => `  <recv response="${String(code)}" optional="true" next="refusedOther"/>`).join('\n')}
  <recv response="200"/>
${ack('Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]')}
${log('answered')}
  <recv request="BYE" timeout="${String(Math.round(holdMs))}" ontimeout="hangup"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
${log('endedByServer')}
  <nop next="done"/>
  <label id="hangup"/>
  <send retrans="500">
    <![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field1]@[local_ip]:[local_port]>;tag=[pid]L[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
${log('hungUp')}
  <nop next="done"/>
  <label id="refused503"/>
${ack('[last_Via:]')}
${log('refused503')}
  <nop next="done"/>
  <label id="refusedOther"/>
${ack('[last_Via:]')}
${log('refusedOther')}
  <label id="done"/>
</scenario>
`;
}

/** sipp's injection file: one line per call, `rtpPort;callerNumber`, used in order. */
export function injectionFile(rtpPorts: readonly number[], numberOf: (i: number) => string): string {
  return `SEQUENTIAL\n${rtpPorts.map((port, i) => `${String(port)};${numberOf(i)};`).join('\n')}\n`;
}

/** Counts the outcomes in sipp's action log. */
export function countOutcomes(log: string): Record<(typeof SIPP_OUTCOMES)[number], number> {
  const counts = Object.fromEntries(SIPP_OUTCOMES.map((o) => [o, 0])) as Record<(typeof SIPP_OUTCOMES)[number], number>;
  for (const line of log.split('\n')) {
    const word = line.trim().split(' ')[0] as (typeof SIPP_OUTCOMES)[number];
    if (word in counts) counts[word]++;
  }
  return counts;
}
