/**
 * The canvas's full-size PNG (often over 100 KB) drawn again as the small picture a
 * promiscuous-mode request attaches (P1), within the sizes diagram-picture.ts chooses.
 */
import { smallestPicture } from './diagram-picture';

function loaded(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The diagram could not be read as a picture.'));
    image.src = url;
  });
}

/** The canvas's PNG (a data URL) as a small WebP or JPEG data URL for the request. */
export async function compactDiagram(png: string): Promise<string> {
  const image = await loaded(png);
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return png;
  return smallestPicture(
    { width: image.naturalWidth, height: image.naturalHeight },
    ({ width, height }, type, quality) => {
      canvas.width = width;
      canvas.height = height;
      // JPEG has no transparency: what the PNG leaves clear is white, not black.
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, width, height);
      context.imageSmoothingQuality = 'high';
      context.drawImage(image, 0, 0, width, height);
      return canvas.toDataURL(type, quality);
    },
  );
}
