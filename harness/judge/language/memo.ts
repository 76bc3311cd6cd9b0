/**
 * A one-argument pure function remembered by argument: the judge asks the same words over and over (every check,
 * every window). The memory is emptied once it holds `limit` answers, so a 5 MB text of unique words stays bounded.
 */
export function memoised<A, R>(fn: (arg: A) => R, limit: number): (arg: A) => R {
  const answers = new Map<A, R>();
  return (arg) => {
    if (answers.has(arg)) return answers.get(arg) as R;
    const answer = fn(arg);
    if (answers.size > limit) answers.clear();
    answers.set(arg, answer);
    return answer;
  };
}
