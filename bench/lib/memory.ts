/** Memory of a process from /proc/<pid>/status (Linux), sampled while a run goes on. */
import { readFileSync } from 'node:fs';

export interface MemoryReading {
	rssMb: number;
	hwmMb: number;
}

export function readMemory(pid: number): MemoryReading {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
	return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Samples VmRSS every `everyMs` until stopped; returns the peak and the last reading. */
export function sampleMemory(pid: number, everyMs = 20): { stop(): { peakRssMb: number; samples: number; hwmMb: number } } {
	let peak = 0;
	let samples = 0;
	let hwm = 0;
	const take = () => {
		try {
			const reading = readMemory(pid);
			peak = Math.max(peak, reading.rssMb);
			hwm = reading.hwmMb;
			samples++;
		} catch {
			// the process is gone; the caller notices
		}
	};
	take();
	const timer = setInterval(take, everyMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			return { peakRssMb: peak, samples, hwmMb: hwm };
		},
	};
}
