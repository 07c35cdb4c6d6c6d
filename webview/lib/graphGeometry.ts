// Sizes shared by the layout (worker) and the renderer (page): every node is one box of this size.
export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 36;
