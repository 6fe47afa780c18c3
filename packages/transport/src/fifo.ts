/**
 * A first-in first-out queue over an array with a moving head, so taking from the front is O(1) (unlike
 * `Array.prototype.shift`) and no node is allocated per item. The array is compacted when the dead prefix
 * outgrows the live part, which keeps memory proportional to what is queued.
 */
export class Fifo<Item> {
  #items: (Item | undefined)[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: Item): void {
    this.#items.push(item)
  }

  peek(): Item | undefined {
    return this.#items[this.#head]
  }

  shift(): Item | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head++
    if (this.#head === this.#items.length) {
      this.#items.length = 0
      this.#head = 0
    } else if (this.#head > 32 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  /** Removes and returns everything, oldest first. */
  drain(): Item[] {
    const items = this.#items.slice(this.#head) as Item[]
    this.#items = []
    this.#head = 0
    return items
  }

  *[Symbol.iterator](): IterableIterator<Item> {
    for (let index = this.#head; index < this.#items.length; index++) yield this.#items[index] as Item
  }
}
