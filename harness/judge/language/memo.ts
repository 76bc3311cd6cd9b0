/**
 * A one-argument pure function remembered by argument: the judge asks the same words over and over (every check,
 * every window). The memory is emptied once it holds `limit` answers, so a 5 MB text of unique words stays bounded.
 */
export function memoised<A, R>(fn: (arg: A) => R, limit: number): (arg: A) => R {
  const answers = new Map<A, R>();
  return (arg) => {
    const known = answers.get(arg);
    if (known !== undefined || answers.has(arg)) return known as R;
    const answer = fn(arg);
    if (answers.size > limit) answers.clear();
    answers.set(arg, answer);
    return answer;
  };
}

/** A pure function of one object (a judge context) remembered while that object lives: several checks ask it. */
export function memoisedPerObject<K extends object, R>(fn: (key: K) => R): (key: K) => R {
  const answers = new WeakMap<K, R>();
  return (key) => {
    if (answers.has(key)) return answers.get(key) as R;
    const answer = fn(key);
    answers.set(key, answer);
    return answer;
  };
}
