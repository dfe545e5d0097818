/**
 * @ocellus/models: a placeholder. The model pipelines are not written yet; this version only says so,
 * so that an app can check `available` and show `reason` instead of failing on a missing export.
 */

/** Always false in this version: no model pipeline is implemented yet. */
export const available: boolean = false;

/** What is missing and when it comes, in words a user can act on. */
export const reason: string =
  '@ocellus/models has no models yet: ResNet-50, MobileNetV3 and YOLOv8s pipelines arrive with the models issue';
