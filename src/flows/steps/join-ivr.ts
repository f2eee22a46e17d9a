import type { Step } from '../step.ts';
import { admissionStep } from './admission-step.ts';
import { billingCodeStep } from './billing-code-step.ts';
import { joinStep } from './join-step.ts';
import { lookUpNameStep } from './look-up-name-step.ts';
import { pinStep } from './pin-step.ts';
import { playStep } from './play-step.ts';
import { recordNameStep } from './record-name-step.ts';
import { waitForHostStep } from './wait-for-host-step.ts';

/** The dial-in flow after answer: welcome → PIN (lockout first) → door → number look-up (in the background) → name → billing code (hosts of required-code accounts) → wait for host → join. */
export function joinIvrSteps(): Step[] {
  return [playStep('welcome'), pinStep(), admissionStep(), lookUpNameStep(), recordNameStep(), billingCodeStep(), waitForHostStep(), joinStep()];
}
