import { isAlive, pidsWithEnv as pidsWithEnvAnyState } from '@shopnow/launcher';

export { isAlive };

/** Live (non-zombie) processes whose environment holds NAME=value: what a launcher run started, whatever its parent now is. */
export async function pidsWithEnv(name: string, value: string): Promise<number[]> {
  return (await pidsWithEnvAnyState(name, value)).filter(isAlive);
}
