/** Who acts: always resolved from the authenticated Teams activity or token, never from card data. */
export interface Actor {
  /** The firm: the Microsoft 365 tenant id. Every record and every query carries it. */
  firmId: string;
  /** Entra object id of the staff member. */
  userId: string;
  displayName: string;
}

export interface ActorStamp {
  userId: string;
  displayName: string;
  at: Date;
}

export function stampOf(actor: Actor, at: Date): ActorStamp {
  return { userId: actor.userId, displayName: actor.displayName, at };
}
